using System.Diagnostics;
using System.Net;

namespace MarketSim.Tests;

/// <summary>The <c>marketsim-studio</c> command as a user starts it: its address and token, its refusals, Ctrl+C.</summary>
public sealed class StudioCommandTests
{
    private static ProcessStartInfo Studio(string folder, params string[] args)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string dll = Path.Combine(MarketSimProcess.RepositoryRoot, "src", "MarketSim.Studio", "bin", here.Parent!.Name, here.Name, "marketsim-studio.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    [Theory]
    [InlineData("--host", "0.0.0.0", "not a loopback address")]
    [InlineData("--host", "example.org", "expected an IP address")]
    [InlineData("--port", "70000", "expected 0 (a free port) to 65535")]
    [InlineData("--agents", "0", "--agents must be at least 1")]
    public async Task ARefusedOption_ExitsWithTwo_AndSaysWhy(string option, string value, string message)
    {
        string folder = StudioScenarios.Create();
        using var p = Process.Start(Studio(folder, "start.yaml", option, value))!;
        string stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace for input
    }

    [Fact]
    public async Task ABadScenario_ExitsWithTwo_InTheLoadersWords()
    {
        string folder = StudioScenarios.Create();
        File.WriteAllText(Path.Combine(folder, "bad.yaml"), "extends: start.yaml\nalliances:\n  jd-kuaishou:\n    traffic:\n      - {from: kuaishou, to: jd, share: 1.6}\n");
        using var p = Process.Start(Studio(folder, "bad.yaml"))!;
        string stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("bad.yaml:5:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStudio_PrintsItsLoopbackAddressWithAToken_AndStopsCleanlyOnCtrlC()
    {
        string folder = StudioScenarios.Create();
        using var p = Process.Start(Studio(folder, "start.yaml", "--agents", "2000", "--replications", "2"))!;
        try
        {
            string? open = null;
            while (await p.StandardOutput.ReadLineAsync() is { } line)
                if (line.StartsWith("Open: ", StringComparison.Ordinal)) { open = line[6..]; break; }
            Assert.NotNull(open);
            var url = new Uri(open);
            Assert.Equal("127.0.0.1", url.Host);
            Assert.Matches("^\\?token=[A-Za-z0-9_-]{43}$", url.Query);
            using var client = new HttpClient(new HttpClientHandler { UseCookies = false });
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri(url, "/"))).StatusCode);

            using var kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, p.ExitCode);
            Assert.Contains("Stopping.", await p.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            if (!p.HasExited) p.Kill(true);
        }
    }
}
