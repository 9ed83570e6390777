using BenchmarkDotNet.Attributes;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Randomness;
using MarketSim.ScenarioFiles;

namespace MarketSim.Benchmarks;

/// <summary>Locates the default scenarios from the benchmark's output folder.</summary>
internal static class Scenarios
{
    public static string Path(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MarketSim.sln"))) return System.IO.Path.Combine(dir.FullName, "scenarios", name);
        throw new InvalidOperationException("MarketSim.sln not found");
    }

    public static MarketModel Alliance(long agents, int steps) =>
        new(ScenarioLoader.Load(Path("jd-kuaishou-alliance.yaml"), new Dictionary<string, string>
        {
            ["population.agents"] = agents.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["calendar.steps"] = steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Scenario!);
}

/// <summary>One engine step of the alliance scenario, per agent; single- and two-threaded.</summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private Simulation simulation = null!;

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>A 1 M agent population at step 60 (mid-2020: alliance about to start, festivals in the calendar).</summary>
    [GlobalSetup]
    public void Setup()
    {
        simulation = new Simulation(Scenarios.Alliance(1_000_000, 156), Threads);
        for (int k = 0; k < 60; k++) simulation.Step();
    }

    /// <summary>One step of every agent (the steps after 60 differ a little: the measure is the mean over them).</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public StepMetrics StepPerAgent()
    {
        if (simulation.Done) Setup();
        return simulation.Step();
    }
}

/// <summary>The counter-based generator alone: the floor of any agent step.</summary>
public class RandomBenchmarks
{
    private const int N = 1 << 20;

    /// <summary>One draw keyed on (stream, agent), folded so the JIT cannot drop it.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public ulong DrawPerAgent()
    {
        ulong key = CounterRandom.StreamKey(1, StreamPurpose.Step, 7), acc = 0;
        for (int i = 0; i < N; i++) acc ^= CounterRandom.At(key, (ulong)i);
        return acc;
    }
}
