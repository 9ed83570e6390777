using BenchmarkDotNet.Attributes;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;

namespace MarketSim.Benchmarks;

/// <summary>Writing a 52-step run's Parquet files (metrics, flows, overlap), from metrics already computed.</summary>
[MemoryDiagnoser]
public class OutputBenchmarks
{
    private readonly List<StepMetrics> steps = [];
    private ModelDimensions dims = null!;
    private string folder = "";

    /// <summary>Simulates 52 steps of a small population once; the benchmark writes them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var model = Scenarios.Alliance(50_000, 52);
        dims = model.Dimensions;
        var sim = new Simulation(model, 2);
        while (!sim.Done) steps.Add(sim.Step());
        folder = Path.Combine(Path.GetTempPath(), "marketsim-bench-output");
    }

    /// <summary>Writer, 52 steps, completion (rename, run.json, marker).</summary>
    [Benchmark]
    public async Task WriteRun()
    {
        var manifest = new RunManifest("bench", "name: bench\n", new string('0', 64), 1, 50_000, 12_200, 0, "bench");
        await using var writer = await RunOutputWriter.CreateAsync(folder, dims, manifest, OutputSelection.All);
        foreach (var m in steps) await writer.WriteStepAsync(m);
        await writer.CompleteAsync([], new RunTimings(0, 0, 0, 0, 0, 0, 1, 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
    }
}
