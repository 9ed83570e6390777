using BenchmarkDotNet.Running;

// Benchmarks of the hot loop's parts. Run: dotnet run -c Release --project bench/MarketSim.Benchmarks -- --filter '*'
// The whole-run figures (agent-steps per second at 1 M / 10 M / 100 M agents) come from `marketsim bench` instead.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
