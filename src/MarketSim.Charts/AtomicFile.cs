namespace MarketSim.Charts;

/// <summary>
/// Writes a file under a hidden temporary name in the same folder, then renames it: readers (and tools that skip
/// dot-files) see either the old file or the complete new one, never a partial PNG.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to a hidden temporary file beside <paramref name="path"/>, then renames it.</summary>
    public static void Write(string path, byte[] bytes)
    {
        string folder = Path.GetDirectoryName(path) ?? ".";
        string temp = Path.Combine(folder, "." + Path.GetFileName(path) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
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
