using System.Text;

namespace MarketSim.Output;

/// <summary>
/// The one way MarketSim publishes a file: write it under a hidden temporary name in the same folder, force it to
/// disk, rename it over the target. Readers (and dataset tools, which skip names starting with '.') see either the
/// old file or the complete new one, never a partial one; on any failure the temporary file is removed and the old
/// file is left as it was.
/// </summary>
/// <remarks>
/// The temporary name carries the process id and a random part, so processes writing the same target at once (sweep
/// shards finishing together) never write into each other's temporary file; the last rename wins, whole. Every
/// temporary name matches <c>.NAME.*.tmp</c>.
/// </remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A fresh hidden temporary path beside <paramref name="path"/> (<c>.NAME.PID.RANDOM.tmp</c>).</summary>
    public static string TempPathFor(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Whether <paramref name="candidate"/> is one of <see cref="TempPathFor"/>'s temporaries for <paramref name="path"/> (any process's).</summary>
    public static bool IsTempFor(string candidate, string path)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        string name = Path.GetFileName(candidate);
        return name.StartsWith($".{Path.GetFileName(path)}.", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal);
    }

    /// <summary>Publishes <paramref name="bytes"/> as <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Publishes <paramref name="text"/> as <paramref name="path"/>, UTF-8 without a byte-order mark.</summary>
    public static void WriteText(string path, string text) => Write(path, Utf8.GetBytes(text));

    /// <summary>Publishes <paramref name="bytes"/> as <paramref name="path"/>.</summary>
    public static Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken ct = default) =>
        WriteAsync(path, (stream, token) => stream.WriteAsync(bytes, token).AsTask(), ct);

    /// <summary>Publishes <paramref name="text"/> as <paramref name="path"/>, UTF-8 without a byte-order mark.</summary>
    public static Task WriteTextAsync(string path, string text, CancellationToken ct = default) =>
        WriteAsync(path, Utf8.GetBytes(text), ct);

    /// <summary>
    /// Publishes what <paramref name="write"/> writes as <paramref name="path"/>. The stream is readable and seekable
    /// (Parquet writers need both); it is flushed to disk before the rename, and the file is not published when
    /// <paramref name="write"/> throws or <paramref name="ct"/> is cancelled.
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = TempPathFor(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                             FileOptions.Asynchronous))
            {
                await write(stream, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            ct.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Deletes a file if it is there; a failure to delete is ignored (it must not hide the error being handled).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover we could not remove.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
