using System.Text;
using MarketSim.Engine;

namespace MarketSim.Output;

/// <summary>A checkpoint read back: the scenario it belongs to, the results so far, and the engine state to restore.</summary>
/// <param name="ResolvedYaml">The resolved scenario the run was started with.</param>
/// <param name="Sha256">Its hash, checked against the scenario rebuilt from it.</param>
/// <param name="Steps">Metrics of every step done, replayed into fresh output files so they match an uninterrupted run.</param>
/// <param name="EngineState">Engine state (<see cref="Simulation.SaveState"/>), positioned at its start.</param>
public sealed record RunCheckpointData(string ResolvedYaml, string Sha256, IReadOnlyList<StepMetrics> Steps, Stream EngineState);

/// <summary>
/// Saves and loads a run's checkpoint: one file, <c>.checkpoint</c>, in the run folder. The leading dot keeps it out
/// of the dataset readers see; it is written under a temporary name and renamed, so a process killed while saving
/// leaves the previous checkpoint intact.
/// </summary>
public static class RunCheckpoint
{
    /// <summary>The checkpoint's file name inside a run folder.</summary>
    public const string FileName = ".checkpoint";

    private const uint Magic = 0x4B43534D; // "MSCK" little-endian
    private const int Version = 1;

    /// <summary>Path of the checkpoint of the run in <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    /// <summary>Writes a checkpoint atomically: the results so far, then the engine state.</summary>
    public static async Task SaveAsync(string folder, string resolvedYaml, string sha256, IReadOnlyList<StepMetrics> steps,
        Action<Stream> saveEngineState, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(saveEngineState);
        string final = PathIn(folder), temp = final + ".tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                using (var w = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Magic);
                    w.Write(Version);
                    w.Write(resolvedYaml);
                    w.Write(sha256);
                    w.Write(steps.Count);
                    foreach (var m in steps) WriteMetrics(w, m);
                }
                saveEngineState(file);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, final, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads the checkpoint of the run in <paramref name="folder"/>; the caller disposes its engine-state stream.</summary>
    /// <exception cref="FileNotFoundException">The folder has no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this program, or is damaged.</exception>
    public static RunCheckpointData Load(string folder)
    {
        var file = new FileStream(PathIn(folder), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            using var r = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
            if (r.ReadUInt32() != Magic) throw new InvalidDataException($"{PathIn(folder)} is not a MarketSim checkpoint");
            int version = r.ReadInt32();
            if (version != Version) throw new InvalidDataException($"checkpoint version {version}; this program reads version {Version}");
            string yaml = r.ReadString();
            string sha = r.ReadString();
            int count = r.ReadInt32();
            if (count < 0) throw new InvalidDataException("checkpoint step count is negative");
            var steps = new List<StepMetrics>(count);
            for (int i = 0; i < count; i++) steps.Add(ReadMetrics(r));
            return new RunCheckpointData(yaml, sha, steps, file);
        }
        catch (EndOfStreamException)
        {
            file.Dispose();
            throw new InvalidDataException($"{PathIn(folder)} is truncated");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static long[][] Arrays(StepMetrics m) =>
    [
        m.Consumers, m.Arrivals, m.AnnualActive, m.PeriodActive, m.Primary, m.New, m.Churned, m.SwitchedIn, m.SwitchedOut,
        m.GmvFen, m.SuppliedGmvFen, m.Flows, m.Overlap,
    ];

    private static void WriteMetrics(BinaryWriter w, StepMetrics m)
    {
        w.Write(m.Tiers);
        w.Write(m.Platforms);
        w.Write(m.Step);
        w.Write(m.Date.DayNumber);
        foreach (var array in Arrays(m))
            foreach (long v in array) w.Write(v);
    }

    private static StepMetrics ReadMetrics(BinaryReader r)
    {
        int tiers = r.ReadInt32(), platforms = r.ReadInt32();
        if (tiers is < 1 or > 1024 || platforms is < 1 or > 1024) throw new InvalidDataException("checkpoint metrics have an impossible shape");
        var m = new StepMetrics(tiers, platforms) { Step = r.ReadInt32(), Date = DateOnly.FromDayNumber(r.ReadInt32()) };
        foreach (var array in Arrays(m))
            for (int i = 0; i < array.Length; i++) array[i] = r.ReadInt64();
        return m;
    }
}
