using System.Net;
using System.Net.Http.Json;
using System.Text;
using MarketSim.ScenarioFiles;
using MarketSim.Studio;

namespace MarketSim.Tests;

/// <summary>Every endpoint of the studio on a real Kestrel (port 0), over HTTP as the page calls it.</summary>
public sealed class StudioApiTests
{
    private static readonly Dictionary<string, string> NoChange = [];

    [Fact]
    public async Task EveryEndpoint_WithoutOrWithAWrongToken_IsRefused()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        foreach (var path in new[] { "/", "/assets/studio.js", "/api/knobs", "/api/jobs/x/events", "/reports/x" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await studio.Anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await studio.Anonymous.GetAsync(path + "?token=" + studio.Token.Value[..^1] + "x")).StatusCode);
        }
        foreach (var path in new[] { "/api/whatif", "/api/attribution", "/api/save", "/api/compare" })
        {
            var response = await studio.Anonymous.PostAsJsonAsync(path, new { session = "a", sets = NoChange, name = "x" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Empty(Directory.GetFiles(studio.Engine.ScenarioFolder, "x.yaml"));
    }

    [Fact]
    public async Task ThePage_WithTheTokenInItsAddress_IsServedAndSetsTheCookieTheApiThenAccepts()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        var page = await studio.Anonymous.GetAsync("/?token=" + studio.Token.Value);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/assets/studio.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal); // nothing from a CDN
        string cookie = page.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/knobs");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await studio.Anonymous.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await studio.Client.GetAsync("/assets/secrets.txt")).StatusCode);
        Assert.Contains("EventSource", await studio.Client.GetStringAsync("/assets/studio.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Knobs_ComeFromTheScenarioWithTheValidatorsLimits()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        var knobs = (await RunningStudio.JsonAsync(await studio.Client.GetAsync("/api/knobs"))).GetProperty("knobs").EnumerateArray()
            .ToDictionary(k => k.GetProperty("path").GetString()!);
        var traffic = knobs[StudioScenarios.Traffic];
        Assert.Equal("0.3", traffic.GetProperty("value").GetString());
        Assert.Equal(0, traffic.GetProperty("min").GetDouble());
        Assert.Equal(1, traffic.GetProperty("max").GetDouble());
        Assert.Equal("t3,t4,t5,t6", knobs["alliances.jd-kuaishou.traffic[0].tiers"].GetProperty("value").GetString());
        Assert.Equal("2020-05-27", knobs["alliances.jd-kuaishou.start"].GetProperty("value").GetString());
        Assert.True(knobs.ContainsKey("alliances.jd-kuaishou.co_promotion.utility_boost"));
        Assert.True(knobs.ContainsKey("interventions.jd_jingxi.add"));
        Assert.True(knobs.ContainsKey("behaviour.switching_cost"));
        Assert.True(knobs["platforms.jd.reach.t6"].GetProperty("advanced").GetBoolean());
        // The attention of 0.0145 on a 0..1 slider could not be moved: its slider spans its order of magnitude.
        var attention = knobs["behaviour.attention"];
        Assert.Equal(0.1, attention.GetProperty("sliderMax").GetDouble(), 9);
        Assert.Contains("order of magnitude", attention.GetProperty("rangeNote").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutOfRangeValue_IsRefusedBesideItsKnob_InTheCommandLinesWords()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        var response = await studio.WhatIfAsync("s1", new() { [StudioScenarios.Traffic] = "1.6" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await RunningStudio.JsonAsync(response)).GetProperty("problems").EnumerateArray().Single();
        Assert.Equal(StudioScenarios.Traffic, problem.GetProperty("path").GetString());

        // What `marketsim run start.yaml --set alliances.jd-kuaishou.traffic[0].share=1.6` prints, through the same loader.
        var errors = new List<string>();
        var sets = ScenarioOverrides.FromOptions(null, null, [$"{StudioScenarios.Traffic}=1.6"], errors);
        var cli = ScenarioLoader.Load(studio.Engine.ScenarioPath, sets);
        Assert.Equal("error: " + cli.Problems.Single(), problem.GetProperty("message").GetString());
        Assert.StartsWith($"error: --set {StudioScenarios.Traffic}=1.6", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StudioScenarios.Traffic, "abc", "expected a number")]
    [InlineData(StudioScenarios.Traffic, "../../etc/passwd", "expected a number")]
    [InlineData(StudioScenarios.Traffic, "{targets: /etc/passwd}", "expected a number")]
    [InlineData("alliances.jd-kuaishou.traffic[0].tiers", "t3,../../etc", "unknown tier")]
    [InlineData("alliances.jd-kuaishou.start", "/tmp/x.yaml", "expected a date")]
    [InlineData("alliances.jd-kuaishou.traffic[0].ramp_days", "1.5", "expected a whole number")]
    public async Task AValueOfTheWrongKind_OrAPath_IsRefused(string path, string value, string expected)
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        var response = await studio.WhatIfAsync("s1", new() { [path] = value });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await RunningStudio.JsonAsync(response)).GetProperty("problems").EnumerateArray().Single();
        Assert.Equal(path, problem.GetProperty("path").GetString());
        Assert.Contains(expected, problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calibration.targets")]          // names a file: not a knob
    [InlineData("extends")]
    [InlineData("population.agents")]
    [InlineData("alliances.jd-kuaishou.traffic[7].share")]
    public async Task AKeyThePageDoesNotShow_IsRefused(string path)
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        foreach (var endpoint in new[] { "/api/whatif", "/api/attribution", "/api/save" })
        {
            var response = await studio.Client.PostAsJsonAsync(endpoint, new { session = "s1", name = "refused", sets = new Dictionary<string, string> { [path] = "1" } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("unknown knob", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.False(File.Exists(Path.Combine(studio.Engine.ScenarioFolder, "refused.yaml")));
    }

    [Fact]
    public async Task AnOverLongBody_IsRefused()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        string big = "{\"session\":\"s1\",\"sets\":{\"" + StudioScenarios.Traffic + "\":\"" + new string('1', (int)StudioServer.MaxBody) + "\"}}";
        using var content = new StringContent(big, Encoding.UTF8, "application/json");
        var response = await studio.Client.PostAsync("/api/whatif", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../s")]
    [InlineData("a b")]
    public async Task ABadSessionId_IsRefused(string session)
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        Assert.Equal(HttpStatusCode.BadRequest, (await studio.WhatIfAsync(session, NoChange)).StatusCode);
    }

    [Fact]
    public async Task AWhatIf_AnswersTheDifference_AndTheSecondReusesTheCachedBaseline()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        var first = await RunningStudio.JsonAsync(await studio.WhatIfAsync("s1", NoChange));
        Assert.False(first.GetProperty("baselineCached").GetBoolean());
        Assert.Equal(3, first.GetProperty("charts").GetArrayLength());
        Assert.StartsWith("<svg", first.GetProperty("charts")[0].GetProperty("svg").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, first.GetProperty("tiers").GetArrayLength()); // six tiers and all tiers
        Assert.Equal(MarketSim.Charts.ReportFormat.MarkLegend(true), first.GetProperty("legend").GetString()); // the report's words
        var second = await RunningStudio.JsonAsync(await studio.WhatIfAsync("s1", new() { [StudioScenarios.Traffic] = "0.9" }));
        Assert.True(second.GetProperty("baselineCached").GetBoolean());
        Assert.Equal(2, second.GetProperty("startsReused").GetInt32()); // the traffic clause acts after the start: no burn-in
        Assert.NotEqual(first.GetProperty("headline").ToString(), second.GetProperty("headline").ToString());
        Assert.Equal(1, studio.Engine.BaselinesCached);
    }

    [Fact]
    public async Task TwoSessions_AtOnce_EachGetTheirOwnAnswer()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create()));
        var a = studio.WhatIfAsync("session-a", new() { [StudioScenarios.Traffic] = "0.9" });
        var b = studio.WhatIfAsync("session-b", new() { [StudioScenarios.Traffic] = "0" });
        var (ra, rb) = (await a, await b);
        Assert.Equal(HttpStatusCode.OK, ra.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rb.StatusCode);
        string ha = (await RunningStudio.JsonAsync(ra)).GetProperty("headline").ToString();
        string hb = (await RunningStudio.JsonAsync(rb)).GetProperty("headline").ToString();
        Assert.NotEqual(ha, hb);
        // Each equals the same what-if asked alone afterwards (one session did not disturb the other).
        Assert.Equal(ha, (await RunningStudio.JsonAsync(await studio.WhatIfAsync("session-c", new() { [StudioScenarios.Traffic] = "0.9" }))).GetProperty("headline").ToString());
        Assert.Equal(hb, (await RunningStudio.JsonAsync(await studio.WhatIfAsync("session-c", new() { [StudioScenarios.Traffic] = "0" }))).GetProperty("headline").ToString());
    }

    [Fact]
    public async Task AChangeWhileRunsGo_CancelsThem_AndAnswersTheNewOne()
    {
        // Large enough that the first what-if (both arms, cold) is still running when the second arrives.
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create(), agents: 300_000));
        var first = studio.WhatIfAsync("s1", new() { [StudioScenarios.Traffic] = "0.9" });
        await Task.Delay(500);
        var second = studio.WhatIfAsync("s1", new() { [StudioScenarios.Traffic] = "0.8" });
        var cancelled = await first;
        Assert.Equal(HttpStatusCode.Conflict, cancelled.StatusCode);
        Assert.True((await RunningStudio.JsonAsync(cancelled)).GetProperty("cancelled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);
    }

    [Fact]
    public async Task Attribution_ReportsProgressByServerSentEvents_AndArrives()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create(), agents: 2000));
        var response = await studio.Client.PostAsJsonAsync("/api/attribution", new { session = "s1", sets = new Dictionary<string, string> { [StudioScenarios.Traffic] = "0.9" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = await RunningStudio.JsonAsync(response);
        long total = started.GetProperty("total").GetInt64();
        Assert.Equal(31 * 2 + 1, total); // five clauses: 2^5 − 1 combinations × 2 replications, and the what-if itself
        var (progress, name, data) = await studio.FollowAsync(started.GetProperty("job").GetString()!);
        Assert.Equal("done", name);
        Assert.Equal(total, progress[^1]);
        var clauses = data.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("clause").GetString()).ToList();
        Assert.Equal(["alliances.jd-kuaishou.supply", "alliances.jd-kuaishou.logistics", "alliances.jd-kuaishou.traffic",
            "alliances.jd-kuaishou.co_promotion", "alliances.jd-kuaishou.launch", "total"], clauses);
        Assert.Equal(HttpStatusCode.NotFound, (await studio.Client.GetAsync("/api/jobs/nosuchjob/events")).StatusCode);
    }

    [Fact]
    public async Task AChangeWhileTheAttributionRuns_CancelsIt_AndTheEventsSaySo()
    {
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(StudioScenarios.Create(), agents: 20_000));
        var response = await studio.Client.PostAsJsonAsync("/api/attribution", new { session = "s1", sets = NoChange });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string job = (await RunningStudio.JsonAsync(response)).GetProperty("job").GetString()!;
        var whatIf = await studio.WhatIfAsync("s1", new() { [StudioScenarios.Traffic] = "0.9" });
        Assert.Equal(HttpStatusCode.OK, whatIf.StatusCode);
        var (_, name, data) = await studio.FollowAsync(job);
        Assert.Equal("failed", name);
        Assert.StartsWith("cancelled", data.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("sub/dir")]
    [InlineData("/tmp/abs")]
    [InlineData("name.yaml")]
    [InlineData("")]
    [InlineData("base")]      // exists and is not the studio's
    [InlineData("start")]     // the starting scenario itself
    public async Task Save_RefusesANameThatIsAPathOrAFileNotItsOwn(string name)
    {
        string folder = StudioScenarios.Create();
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(folder));
        // This test's folder only (other tests write beside it at the same time).
        List<(string, DateTime)> Files() => Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();
        var before = Files();
        var response = await studio.Client.PostAsJsonAsync("/api/save", new { name, sets = new Dictionary<string, string> { [StudioScenarios.Traffic] = "0.9" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", (await RunningStudio.JsonAsync(response)).GetProperty("problems")[0].GetProperty("path").GetString());
        Assert.Equal(before, Files());
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(folder)!, "escape.yaml")));
        Assert.False(File.Exists("/tmp/abs.yaml"));
    }

    [Fact]
    public async Task Save_WritesAnExtendsFileWithOnlyTheChanges_ThatComparesToTheStudiosDifference()
    {
        string folder = StudioScenarios.Create();
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(folder));
        var sets = new Dictionary<string, string>
        {
            [StudioScenarios.Traffic] = "0.9",
            ["alliances.jd-kuaishou.traffic[0].tiers"] = "t5,t6",
            ["alliances.jd-kuaishou.start"] = "2020-01-06",
            ["alliances.jd-kuaishou.logistics[0].share"] = "1", // the scenario's own value: not written
        };
        var response = await studio.Client.PostAsJsonAsync("/api/save", new { name = "what-if-1", sets });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string file = Path.Combine(folder, "what-if-1.yaml");
        string yaml = File.ReadAllText(file);
        Assert.StartsWith(ScenarioSaver.Marker, yaml, StringComparison.Ordinal);
        Assert.Contains("extends: start.yaml\n", yaml, StringComparison.Ordinal);
        Assert.Contains("start: 2020-01-06", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("logistics", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("supply", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("platforms", yaml, StringComparison.Ordinal);

        // The saved file, compared as `marketsim compare what-if-1.yaml --baseline base.yaml` does, gives the studio's numbers.
        var problems = new List<KnobProblem>();
        var answer = studio.Engine.Run(studio.Engine.Plan(studio.Engine.Read(sets, problems)!, problems)!, null, default);
        var batch = StudioScenarios.Compare(file, Path.Combine(folder, "base.yaml"), 3000, 2);
        Assert.Equal(batch.MeanDifference, answer.Table.MeanDifference);
        Assert.Equal(batch.CiLow, answer.Table.CiLow);
        Assert.NotNull(batch.FirstDifferentStep);

        // Saving again under the same name replaces the studio's own file.
        Assert.Equal(HttpStatusCode.OK, (await studio.Client.PostAsJsonAsync("/api/save", new { name = "what-if-1", sets = NoChange })).StatusCode);
        Assert.DoesNotContain("traffic", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunFullCompare_PublishesTheComparison_AndServesItsReport()
    {
        string folder = StudioScenarios.Create();
        await using var studio = await RunningStudio.StartAsync(StudioScenarios.Engine(folder, agents: 2000));
        var response = await studio.Client.PostAsJsonAsync("/api/compare", new { name = "full", sets = new Dictionary<string, string> { [StudioScenarios.Traffic] = "0.9" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await RunningStudio.JsonAsync(response)).GetProperty("job").GetString()!;
        var (progress, name, data) = await studio.FollowAsync(job);
        Assert.True(name == "done", data.ToString());
        Assert.Equal(2 * 2 * studio.Engine.Start.Calendar.Steps, progress[^1]); // both arms, two replications, every step
        string report = data.GetProperty("report").GetString()!;
        var html = await studio.Client.GetStringAsync(report);
        Assert.Contains("<html", html, StringComparison.Ordinal);
        var success = Directory.GetFiles(studio.OutputRoot, "_SUCCESS", SearchOption.AllDirectories);
        Assert.Single(success);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(success[0])!, "comparison.parquet")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await studio.Anonymous.GetAsync(report)).StatusCode);
    }
}
