using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MarketSim.Compare;
using MarketSim.ScenarioFiles;
using MarketSim.Studio;
using Microsoft.AspNetCore.Builder;

namespace MarketSim.Tests;

/// <summary>
/// A small scenario folder for the studio's tests: <c>base.yaml</c> (the repository's baseline from 30 December 2019 for 60
/// weeks, so that the alliance and its 616 fall inside a run short enough for a browser test's attribution, with a 26-step burn-in and
/// Jingxi's reach boost at 0.1, so that the traffic clause acts: at the fitted 0.554 JD's lower-tier reach is already at
/// its cap of 1, docs/sensitivity.md) and <c>start.yaml</c> (the repository's alliance scenario, extending base.yaml).
/// </summary>
internal static class StudioScenarios
{
    public const string Traffic = "alliances.jd-kuaishou.traffic[0].share";

    public static string Create()
    {
        string folder = MarketSimProcess.NewTempFolder("marketsim-studio-tests");
        string repo = Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios");
        File.WriteAllText(Path.Combine(folder, "base.yaml"),
            $"extends: {Path.Combine(repo, "baseline.yaml")}\n" +
            "calendar:\n  start: 2019-12-30\n  steps: 60\n  burn_in_steps: 26\n" +
            "interventions:\n  jd_jingxi:\n    add: 0.1\n");
        string alliance = File.ReadAllText(Path.Combine(repo, "jd-kuaishou-alliance.yaml"))
            .Replace("extends: baseline.yaml", "extends: base.yaml", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "start.yaml"), alliance);
        return folder;
    }

    public static WhatIfEngine Engine(string folder, long agents = 3000, int replications = 2)
    {
        var problems = new List<string>();
        var engine = WhatIfEngine.Create(new StudioSettings(Path.Combine(folder, "start.yaml"), agents, replications), problems);
        Assert.True(engine is not null, string.Join("\n", problems));
        return engine!;
    }

    /// <summary>The comparison <c>marketsim compare FILE --baseline base.yaml --agents N --replications R</c> computes.</summary>
    public static ComparisonTable Compare(string file, string baseline, long agents, int replications)
    {
        var problems = new List<string>();
        var overrides = ScenarioOverrides.FromOptions(agents, null, null, problems);
        var plan = ComparePlan.Create(new CompareRequest(file, baseline, replications, overrides), problems);
        Assert.True(plan is not null, string.Join("\n", problems));
        return ComparisonTable.Compute(CompareRunner.Run(plan!, 0));
    }
}

/// <summary>A studio listening on a free loopback port, with a client that carries the token and one that does not.</summary>
internal sealed class RunningStudio : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningStudio(WebApplication app, WhatIfEngine engine, AccessToken token, Uri address, string outputRoot)
    {
        _app = app;
        Engine = engine;
        Token = token;
        Address = address;
        OutputRoot = outputRoot;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        Client.DefaultRequestHeaders.Add(AccessToken.Header, token.Value);
        Anonymous = new HttpClient { BaseAddress = address };
    }

    public WhatIfEngine Engine { get; }

    public AccessToken Token { get; }

    public Uri Address { get; }

    public string OutputRoot { get; }

    public HttpClient Client { get; }

    public HttpClient Anonymous { get; }

    public static async Task<RunningStudio> StartAsync(WhatIfEngine engine)
    {
        var token = AccessToken.NewRandom();
        string output = MarketSimProcess.NewTempFolder("marketsim-studio-output");
        var app = StudioServer.Build(engine, new StudioListen(IPAddress.Loopback, 0, false), token, output, quiet: true);
        var address = await StudioServer.StartAsync(app);
        return new RunningStudio(app, engine, token, address, output);
    }

    public Task<HttpResponseMessage> WhatIfAsync(string session, Dictionary<string, string> sets, CancellationToken ct = default) =>
        Client.PostAsJsonAsync("/api/whatif", new { session, sets }, ct);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Reads a job's server-sent events to its end: the progress values seen and the final event's name and data.</summary>
    public async Task<(List<long> Progress, string Event, JsonElement Data)> FollowAsync(string job)
    {
        using var stream = await Client.GetStreamAsync($"/api/jobs/{job}/events");
        using var reader = new StreamReader(stream);
        var progress = new List<long>();
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line[6..]).RootElement;
                if (name == "progress") progress.Add(data.GetProperty("done").GetInt64());
                else return (progress, name!, data);
            }
        }
        throw new InvalidOperationException("the event stream ended without a final event");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
