using MarketSim.Engine;
using MarketSim.Output;

namespace MarketSim.Tests;

/// <summary>
/// A checkpoint damaged in any section (header, scenario, hash, step count, metrics, engine state, checksum; cut short
/// or extended) is refused with <see cref="InvalidDataException"/> before any of it is used; an intact one round-trips.
/// </summary>
public sealed class CheckpointDamageTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "marketsim-checkpoint-tests", Guid.NewGuid().ToString("N"));
    private const string Yaml = "name: damaged\nseed: 42\ncalendar: {steps: 3}\n";  // under 128 bytes: one length byte
    private static readonly string Sha = new('c', 64);
    private static readonly byte[] Engine = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))];

    public CheckpointDamageTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private byte[] Save()
    {
        RunCheckpoint.SaveAsync(folder, Yaml, Sha, [TestRuns.Step(0), TestRuns.Step(1), TestRuns.Step(2)], s => s.Write(Engine))
            .GetAwaiter().GetResult();
        return File.ReadAllBytes(RunCheckpoint.PathIn(folder));
    }

    /// <summary>Section → offset of the byte damaged, counted from the start (≥ 0) or from the end (&lt; 0).</summary>
    public static TheoryData<string, long> Sections => new()
    {
        { "magic", 0 }, { "version", 4 }, { "scenario length", 8 }, { "scenario", 9 + 20 }, { "hash", 9 + Yaml.Length + 1 + 10 },
        { "step count", 9 + Yaml.Length + 1 + 64 }, { "metrics shape", 9 + Yaml.Length + 1 + 64 + 4 },
        { "metrics value", 9 + Yaml.Length + 1 + 64 + 4 + 16 + 40 }, { "engine state", -32 - 2000 }, { "checksum", -1 },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public void Load_OneBitFlippedInASection_IsRefused(string section, long offset)
    {
        var bytes = Save();
        long at = offset >= 0 ? offset : bytes.Length + offset;
        bytes[at] ^= 0x10;
        File.WriteAllBytes(RunCheckpoint.PathIn(folder), bytes);

        var e = Assert.Throws<InvalidDataException>(() => RunCheckpoint.Load(folder).EngineState.Dispose());
        Assert.False(string.IsNullOrWhiteSpace(e.Message), section);
    }

    [Theory]
    [InlineData("step count", 0x7F)]
    [InlineData("scenario length", 0xFF)]
    public void Load_DamagedLengthField_IsRefusedNotAllocated(string field, byte value)
    {
        var bytes = Save();
        int at = field == "step count" ? 9 + Yaml.Length + 1 + 64 + 3 : 8;
        bytes[at] = value;
        File.WriteAllBytes(RunCheckpoint.PathIn(folder), bytes);

        var e = Assert.Throws<InvalidDataException>(() => RunCheckpoint.Load(folder).EngineState.Dispose());
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-100)]
    [InlineData(-33)]
    [InlineData(+5)]
    public void Load_TruncatedOrExtended_IsRefused(int change)
    {
        var bytes = Save();
        byte[] changed = change < 0 ? bytes[..^(-change)] : [.. bytes, .. new byte[change]];
        File.WriteAllBytes(RunCheckpoint.PathIn(folder), changed);

        Assert.Throws<InvalidDataException>(() => RunCheckpoint.Load(folder).EngineState.Dispose());
    }

    [Fact]
    public void Load_Intact_ReturnsWhatWasSavedAndStopsBeforeTheChecksum()
    {
        Save();

        var data = RunCheckpoint.Load(folder);
        using var state = data.EngineState;
        var engine = new MemoryStream();
        state.CopyTo(engine);

        Assert.Equal((Yaml, Sha, 3), (data.ResolvedYaml, data.Sha256, data.Steps.Count));
        Assert.Equal(TestRuns.Step(2).GmvFen, data.Steps[2].GmvFen);
        Assert.Equal(TestRuns.Step(1).Flows, data.Steps[1].Flows);
        Assert.Equal(Engine, engine.ToArray());
    }

    [Fact]
    public async Task SaveLoad_CarriesEveryMetricArray()
    {
        // A resumed run replays the saved steps into fresh Parquet files: an array the checkpoint forgot comes back as
        // zeros (the orders column did, until CountArrays listed it). Every long[] the class has, found by reflection,
        // so a metric added later is covered without editing this test.
        var arrays = typeof(StepMetrics).GetProperties().Where(p => p.PropertyType == typeof(long[])).ToList();
        var saved = new StepMetrics(2, 3) { Step = 0, Date = new DateOnly(2020, 1, 6) };
        long value = 1;
        foreach (var p in arrays)
        {
            var a = (long[])p.GetValue(saved)!;
            for (int i = 0; i < a.Length; i++) a[i] = value++;
        }
        await RunCheckpoint.SaveAsync(folder, Yaml, Sha, [saved], s => s.Write(Engine));

        var data = RunCheckpoint.Load(folder);
        data.EngineState.Dispose();
        Assert.True(arrays.Count >= 14, $"only {arrays.Count} arrays found");
        foreach (var p in arrays)
            Assert.True(((long[])p.GetValue(saved)!).SequenceEqual((long[])p.GetValue(data.Steps[0])!), $"{p.Name} not carried by the checkpoint");
    }

    [Fact]
    public async Task Save_StreamFailsMidway_KeepsThePreviousCheckpointAndNoTemporary()
    {
        var previous = Save();

        // A disk that fills up while the engine state is written: the write fails after some bytes went out.
        var e = await Assert.ThrowsAsync<IOException>(() => RunCheckpoint.SaveAsync(folder, Yaml, Sha, [TestRuns.Step(0)], s =>
        {
            s.Write(Engine, 0, 100);
            throw new IOException("No space left on device");
        }));

        Assert.Contains("No space left", e.Message, StringComparison.Ordinal);
        Assert.Equal(previous, File.ReadAllBytes(RunCheckpoint.PathIn(folder)));
        Assert.Empty(Directory.GetFiles(folder, RunCheckpoint.FileName + "*.tmp"));
        using var intact = RunCheckpoint.Load(folder).EngineState;
    }

    [Fact]
    public void Load_OldVersionWithoutChecksum_IsRefusedNamingTheVersion()
    {
        var bytes = Save();
        bytes[4] = 1;
        File.WriteAllBytes(RunCheckpoint.PathIn(folder), bytes);

        var e = Assert.Throws<InvalidDataException>(() => RunCheckpoint.Load(folder).EngineState.Dispose());
        Assert.Contains("version 1", e.Message, StringComparison.Ordinal);
    }
}
