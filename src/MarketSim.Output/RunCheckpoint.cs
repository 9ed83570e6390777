using System.Security.Cryptography;
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
/// <remarks>
/// Layout (version 3): magic, version, the resolved scenario and its hash, the steps' metrics, the engine state, then
/// the SHA-256 of every byte before it. The checksum is verified over the whole file before any field is used, so a
/// flipped bit in any section, garbage in the engine state or a damaged length field is refused with one message
/// instead of being resumed into output that differs, or crashing on an impossible length.
/// </remarks>
public static class RunCheckpoint
{
    /// <summary>The checkpoint's file name inside a run folder.</summary>
    public const string FileName = ".checkpoint";

    private const uint Magic = 0x4B43534D; // "MSCK" little-endian
    private const int Version = 3; // 3: metrics carry orders
    private const int HashBytes = 32;

    /// <summary>Most steps a checkpoint can hold (the calendar's limit).</summary>
    private const int MaxSteps = 5200;

    /// <summary>Path of the checkpoint of the run in <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    /// <summary>Writes a checkpoint atomically: the results so far, the engine state, then the checksum of both.</summary>
    public static async Task SaveAsync(string folder, string resolvedYaml, string sha256, IReadOnlyList<StepMetrics> steps,
        Action<Stream> saveEngineState, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(saveEngineState);
        await AtomicFile.WriteAsync(PathIn(folder), (file, _) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var hashed = new HashingStream(file, hash))
            {
                using (var w = new BinaryWriter(hashed, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(Magic);
                    w.Write(Version);
                    w.Write(resolvedYaml);
                    w.Write(sha256);
                    w.Write(steps.Count);
                    foreach (var m in steps) WriteMetrics(w, m);
                }
                saveEngineState(hashed);
            }
            file.Write(hash.GetHashAndReset());
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the checkpoint of the run in <paramref name="folder"/>; the caller disposes its engine-state stream.</summary>
    /// <exception cref="FileNotFoundException">The folder has no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of this program, or is damaged.</exception>
    public static RunCheckpointData Load(string folder)
    {
        string path = PathIn(folder);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        try
        {
            long length = file.Length;
            if (length < 8 + HashBytes) throw new InvalidDataException("the checkpoint is truncated (shorter than its header and checksum)");
            using (var r = new BinaryReader(file, Encoding.UTF8, leaveOpen: true))
            {
                if (r.ReadUInt32() != Magic) throw new InvalidDataException("not a MarketSim checkpoint");
                int version = r.ReadInt32();
                if (version != Version)
                    throw new InvalidDataException($"checkpoint version {version}; this program reads version {Version} (start the run again)");
            }
            Verify(file, length);
            file.Position = 8;
            using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
            string yaml = reader.ReadString();
            string sha = reader.ReadString();
            int count = reader.ReadInt32();
            if (count is < 0 or > MaxSteps) throw new InvalidDataException($"the checkpoint claims {count} steps");
            var steps = new List<StepMetrics>(count);
            for (int i = 0; i < count; i++) steps.Add(ReadMetrics(reader));
            return new RunCheckpointData(yaml, sha, steps, new SubStream(file, length - HashBytes));
        }
        catch (EndOfStreamException)
        {
            file.Dispose();
            throw new InvalidDataException("the checkpoint is truncated");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Checks the trailing SHA-256 against every byte before it, reading the file once in 1 MiB blocks.</summary>
    private static void Verify(FileStream file, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        file.Position = 0;
        long left = length - HashBytes;
        while (left > 0)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) throw new EndOfStreamException();
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        Span<byte> stored = stackalloc byte[HashBytes];
        file.ReadExactly(stored);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
            throw new InvalidDataException("the checkpoint is damaged (its SHA-256 checksum does not match its contents); start the run again");
    }

    private static void WriteMetrics(BinaryWriter w, StepMetrics m)
    {
        w.Write(m.Tiers);
        w.Write(m.Platforms);
        w.Write(m.Step);
        w.Write(m.Date.DayNumber);
        foreach (var array in m.CountArrays)
            foreach (long v in array) w.Write(v);
    }

    private static StepMetrics ReadMetrics(BinaryReader r)
    {
        int tiers = r.ReadInt32(), platforms = r.ReadInt32();
        if (tiers is < 1 or > 1024 || platforms is < 1 or > 1024) throw new InvalidDataException("checkpoint metrics have an impossible shape");
        int step = r.ReadInt32(), day = r.ReadInt32();
        if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber) throw new InvalidDataException("checkpoint metrics have an impossible date");
        var m = new StepMetrics(tiers, platforms) { Step = step, Date = DateOnly.FromDayNumber(day) };
        foreach (var array in m.CountArrays)
            for (int i = 0; i < array.Length; i++) array[i] = r.ReadInt64();
        return m;
    }

    /// <summary>Passes writes through to a stream and into a hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void WriteByte(byte value) => Write([value]);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>The engine-state section: reads stop at the checksum, so the engine cannot mistake it for state.</summary>
    private sealed class SubStream(FileStream inner, long end) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            long left = end - inner.Position;
            if (left <= 0) return 0;
            return inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
