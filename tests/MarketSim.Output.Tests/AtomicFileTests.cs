using System.Text;
using MarketSim.Output;

namespace MarketSim.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder tmp = new();

    public void Dispose() => tmp.Dispose();

    private string Target => Path.Combine(tmp.Root, "table.parquet");

    [Fact]
    public async Task WriteAsync_WriterThrowsMidway_OldFileIntactAndNoTemporaryLeft()
    {
        File.WriteAllText(Target, "old");

        var e = await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(Target, async (stream, ct) =>
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("half of the new"), ct);
            throw new IOException("No space left on device");
        }));

        Assert.Contains("No space left", e.Message, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(Target));
        Assert.Equal([Target], Directory.GetFiles(tmp.Root));
    }

    [Fact]
    public async Task WriteAsync_Cancelled_NothingPublishedAndNoTemporaryLeft()
    {
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(Target, async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[] { 1, 2, 3 }, ct);
            await cts.CancelAsync();
        }, cts.Token));

        Assert.Empty(Directory.GetFiles(tmp.Root));
    }

    [Fact]
    public async Task WriteTextAsync_ReplacesTheFileWholeWithoutByteOrderMark()
    {
        File.WriteAllText(Target, "a much longer previous content than the new one");

        await AtomicFile.WriteTextAsync(Target, "né");

        Assert.Equal(Encoding.UTF8.GetBytes("né"), File.ReadAllBytes(Target));
        Assert.Equal([Target], Directory.GetFiles(tmp.Root));
    }

    [Fact]
    public void Write_TargetFolderMissing_ThrowsAndLeavesNothing()
    {
        string inMissing = Path.Combine(tmp.Root, "missing", "chart.png");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(inMissing, [1, 2, 3]));

        Assert.Empty(Directory.GetFileSystemEntries(tmp.Root));
    }

    [Fact]
    public void TempPathFor_IsHiddenBesideTheTargetAndFreshEachTime()
    {
        string a = AtomicFile.TempPathFor(Target), b = AtomicFile.TempPathFor(Target);

        Assert.NotEqual(a, b);
        Assert.Equal(tmp.Root, Path.GetDirectoryName(a));
        Assert.StartsWith(".table.parquet.", Path.GetFileName(a), StringComparison.Ordinal);
        Assert.EndsWith(".tmp", a, StringComparison.Ordinal);
    }
}
