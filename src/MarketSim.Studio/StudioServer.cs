using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketSim.Charts;
using MarketSim.Compare;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSim.Studio;

/// <summary>Where the studio listens.</summary>
/// <param name="Host">Address to bind (loopback unless <paramref name="AllowRemote"/>).</param>
/// <param name="Port">Port, 0 for a free one.</param>
/// <param name="AllowRemote">Allows a non-loopback address (the token is still required).</param>
internal sealed record StudioListen(IPAddress Host, int Port, bool AllowRemote);

/// <summary>A what-if: the page's session and its knob values by path.</summary>
internal sealed record WhatIfRequest(string? Session, Dictionary<string, string>? Sets, int Tier = -1);

/// <summary>Save or compare: the file's name and the knob values.</summary>
internal sealed record SaveRequest(string? Name, Dictionary<string, string>? Sets);

/// <summary>
/// The access token printed with the URL: 32 random bytes, compared in constant time (as Jupyter's). The browser gives it
/// once in the URL; the page then holds it in a cookie that only this origin sends.
/// </summary>
internal sealed class AccessToken
{
    /// <summary>The cookie the page keeps the token in.</summary>
    public const string Cookie = "marketsim_studio";

    /// <summary>The header a script may send it in.</summary>
    public const string Header = "X-Studio-Token";

    private readonly byte[] hash;

    public AccessToken(string value)
    {
        Value = value;
        hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A new random token (URL-safe).</summary>
    public static AccessToken NewRandom() =>
        new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    public string Value { get; }

    /// <summary>True when <paramref name="candidate"/> is the token; the time taken does not depend on how much of it matches.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), hash);
}

/// <summary>The pages' sessions: each has at most one what-if or attribution going; a new change cancels it.</summary>
internal sealed partial class Sessions
{
    private sealed class Session
    {
        public CancellationTokenSource? Running;
        public CancellationTokenSource? Attributing;
        public (string Key, WhatIfAnswer Answer)? Last;
    }

    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private const int MaxSessions = 256;

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex IdPattern();

    public static bool ValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    private Session Get(string id)
    {
        if (sessions.Count >= MaxSessions && !sessions.ContainsKey(id)) sessions.Clear();
        return sessions.GetOrAdd(id, _ => new Session());
    }

    /// <summary>
    /// Cancels what the session has running and returns the token of its new work: a what-if cancels the session's
    /// what-if and attribution (the knobs changed); an attribution cancels only an earlier attribution.
    /// </summary>
    public CancellationTokenSource Begin(string id, CancellationToken stopping, bool attribution = false)
    {
        var s = Get(id);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        CancellationTokenSource? old, oldAttribution;
        lock (s)
        {
            oldAttribution = s.Attributing;
            if (attribution) (old, s.Attributing) = (null, cts);
            else (old, s.Running, s.Attributing) = (s.Running, cts, null);
        }
        Cancel(old);
        Cancel(oldAttribution);
        return cts;
    }

    private static void Cancel(CancellationTokenSource? cts)
    {
        try { cts?.Cancel(); }
        catch (ObjectDisposedException) { /* it ended meanwhile: nothing left to cancel */ }
    }

    public void End(string id, CancellationTokenSource cts)
    {
        var s = Get(id);
        lock (s)
        {
            if (s.Running == cts) s.Running = null;
            if (s.Attributing == cts) s.Attributing = null;
        }
        cts.Dispose();
    }

    public void Remember(string id, string key, WhatIfAnswer answer)
    {
        var s = Get(id);
        lock (s) s.Last = (key, answer);
    }

    public WhatIfAnswer? Recall(string id, string key)
    {
        var s = Get(id);
        lock (s) return s.Last is { } last && last.Key == key ? last.Answer : null;
    }
}

/// <summary>
/// The studio's web application: Kestrel on the generic host, one page with its script and style (embedded, no CDN),
/// and the JSON and server-sent-event endpoints it calls. Every request needs the access token.
/// </summary>
internal static class StudioServer
{
    /// <summary>Largest request body accepted: the knobs of a scenario fit many times over.</summary>
    public const long MaxBody = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Builds the application (not started).</summary>
    public static WebApplication Build(WhatIfEngine engine, StudioListen listen, AccessToken token, string outputRoot, bool quiet = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (!quiet)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBody;
            k.Listen(listen.Host, listen.Port);
        });
        builder.Services.AddSingleton(engine);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        var app = builder.Build();
        var sessions = new Sessions();
        var jobs = new StudioJobs();
        var stopping = app.Lifetime.ApplicationStopping;

        // The token guards everything: the page, its assets, the API and the reports.
        app.Use(async (http, next) =>
        {
            string? given = http.Request.Query["token"].FirstOrDefault()
                            ?? http.Request.Headers[AccessToken.Header].FirstOrDefault()
                            ?? http.Request.Cookies[AccessToken.Cookie];
            if (!token.Matches(given))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("refused: open the address marketsim-studio printed; it carries the access token\n");
                return;
            }
            if (http.Request.Query.ContainsKey("token"))
                http.Response.Cookies.Append(AccessToken.Cookie, token.Value,
                    new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
            http.Response.Headers["Cache-Control"] = "no-store";
            http.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await next(http);
        });

        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));

        app.MapGet("/api/knobs", () => Results.Json(new
        {
            scenario = Path.GetRelativePath(Directory.GetCurrentDirectory(), engine.ScenarioPath),
            baseline = Path.GetRelativePath(Directory.GetCurrentDirectory(), engine.BaselinePath),
            agents = engine.Settings.Agents,
            replications = engine.Settings.Replications,
            tiers = engine.Start.Tiers.Select(t => new { id = t.Key, name = t.Value.Name.Length > 0 ? t.Value.Name : t.Key }),
            knobs = engine.Knobs.Select(k => new
            {
                path = k.Path,
                group = k.Group,
                label = k.Label,
                kind = k.Kind.ToString().ToLowerInvariant(),
                value = k.Value,
                min = k.Min,
                max = k.Max,
                sliderMin = k.SliderMin,
                sliderMax = k.SliderMax,
                rangeNote = k.RangeNote,
                advanced = k.Advanced,
                choices = k.Choices,
            }),
        }, Json));

        app.MapPost("/api/whatif", async (WhatIfRequest request, HttpContext http) =>
        {
            if (!Sessions.ValidId(request.Session)) return BadSession();
            var problems = new List<KnobProblem>();
            var sets = engine.Read(request.Sets ?? [], problems);
            var plan = sets is null ? null : engine.Plan(sets, problems);
            if (plan is null) return Problems(problems);
            var cts = sessions.Begin(request.Session!, stopping);
            using var aborted = http.RequestAborted.Register(cts.Cancel);
            try
            {
                var answer = await Task.Run(() => engine.Run(plan, null, cts.Token), cts.Token);
                sessions.Remember(request.Session!, Key(sets!), answer);
                return Results.Json(StudioView.Of(answer, request.Tier), Json);
            }
            catch (OperationCanceledException)
            {
                return Results.Json(new { cancelled = true }, Json, statusCode: StatusCodes.Status409Conflict);
            }
            finally
            {
                sessions.End(request.Session!, cts);
            }
        });

        app.MapPost("/api/attribution", (WhatIfRequest request) =>
        {
            if (!Sessions.ValidId(request.Session)) return BadSession();
            var problems = new List<KnobProblem>();
            var sets = engine.Read(request.Sets ?? [], problems);
            var plan = sets is null ? null : engine.Plan(sets, problems);
            if (plan is null) return Problems(problems);
            var clauses = Attribution.ClausesOf(plan, out string? refusal);
            if (clauses is null) return Problems([new KnobProblem("", "error: " + refusal)]);
            var previous = sessions.Recall(request.Session!, Key(sets!));
            long extra = ((1L << clauses.Count) - 1) * plan.Replications;
            var job = jobs.New("attribution", extra + (previous is null ? 1 : 0));
            var cts = sessions.Begin(request.Session!, stopping, attribution: true);
            _ = Task.Run(() =>
            {
                try
                {
                    var answer = previous ?? engine.Run(plan, null, cts.Token);
                    if (previous is null) job.Advance();
                    var a = Attribution.Run(plan, answer.Runs, clauses, engine.Settings.Threads, job.Advance, cts.Token);
                    job.Result = AttributionView(a);
                }
                catch (OperationCanceledException)
                {
                    job.Error = "cancelled: a knob changed while the attribution ran";
                }
                finally
                {
                    sessions.End(request.Session!, cts);
                    job.Finished.TrySetResult();
                }
            });
            return Results.Json(new { job = job.Id, total = job.Total }, Json, statusCode: StatusCodes.Status202Accepted);
        });

        app.MapGet("/api/jobs/{id}/events", async (string id, HttpContext http) =>
        {
            var job = jobs.Get(id);
            if (job is null) { http.Response.StatusCode = StatusCodes.Status404NotFound; return; }
            http.Response.ContentType = "text/event-stream";
            var ct = http.RequestAborted;
            try
            {
                while (true)
                {
                    bool finished = job.Finished.Task.IsCompleted;
                    await Event(http, "progress", new { done = job.Done, total = job.Total }, ct);
                    if (finished) break;
                    await Task.WhenAny(job.Finished.Task, Task.Delay(250, ct));
                }
                await Event(http, job.Error is null ? "done" : "failed", job.Error is null ? job.Result : new { error = job.Error }, ct);
            }
            catch (OperationCanceledException)
            {
                // The page went away; the job goes on (or was cancelled by its own session).
            }
        });

        app.MapPost("/api/save", async (SaveRequest request) =>
        {
            var (file, problems) = await Save(engine, request, stopping);
            return file is null ? Problems(problems) : Results.Json(new
            {
                file = Path.GetRelativePath(Directory.GetCurrentDirectory(), file),
                yaml = await File.ReadAllTextAsync(file, stopping),
            }, Json);
        });

        app.MapPost("/api/compare", async (SaveRequest request) =>
        {
            var (file, problems) = await Save(engine, request, stopping);
            if (file is null) return Problems(problems);
            var job = jobs.New("compare", 1);
            _ = FullCompare.RunAsync(job, file, engine, outputRoot, stopping);
            return Results.Json(new { job = job.Id, file = Path.GetRelativePath(Directory.GetCurrentDirectory(), file) }, Json,
                statusCode: StatusCodes.Status202Accepted);
        });

        app.MapGet("/reports/{id}", (string id) =>
            jobs.Get(id)?.ReportFile is { } report && File.Exists(report)
                ? Results.File(report, "text/html; charset=utf-8")
                : Results.NotFound());
        return app;
    }

    /// <summary>Starts the application and returns the address it listens on (with the port chosen when 0 was asked).</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken ct = default)
    {
        await app.StartAsync(ct);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    private static async Task<(string? File, List<KnobProblem> Problems)> Save(WhatIfEngine engine, SaveRequest request, CancellationToken ct)
    {
        var problems = new List<KnobProblem>();
        string name = request.Name ?? "";
        if (ScenarioSaver.CheckName(name) is { } bad)
        {
            problems.Add(new KnobProblem("name", $"error: name '{(name.Length <= 80 ? name : name[..80] + "…")}': expected {bad}"));
            return (null, problems);
        }
        var sets = engine.Read(request.Sets ?? [], problems);
        if (sets is null || engine.Plan(sets, problems) is null) return (null, problems);
        string file = Path.Combine(engine.ScenarioFolder, name + ".yaml");
        if (Path.GetFullPath(file) == engine.ScenarioPath || Path.GetFullPath(file) == engine.BaselinePath)
        {
            problems.Add(new KnobProblem("name", $"error: {name}.yaml is the starting scenario or its baseline; choose another name"));
            return (null, problems);
        }
        if (await ScenarioSaver.SaveAsync(file, ScenarioSaver.Yaml(engine, name, sets), ct) is { } refused)
        {
            problems.Add(new KnobProblem("name", "error: " + refused));
            return (null, problems);
        }
        return (file, problems);
    }

    private static object AttributionView(Attribution a)
    {
        var rows = a.Rows().Where(r => r.Metric == CompareMetric.AnnualActive.Id).ToList();
        var platforms = a.Dimensions.PlatformIds.ToList();
        var lines = new List<object>();
        foreach (var clause in a.Clauses.Append("total"))
            lines.Add(new
            {
                clause,
                values = platforms.Select(p => rows.First(r => r.Platform == p && r.Clause == clause)).Select(r =>
                    r.Low is { } lo && r.High is { } hi
                        ? ReportFormat.Mark(ReportFormat.People(r.Mean), lo > 0 || hi < 0) + $" ({ReportFormat.Range(lo, hi, yuan: false)})"
                        : ReportFormat.People(r.Mean)).ToList(),
            });
        return new { platforms = a.Dimensions.PlatformNames, rows = lines, summary = AttributionReport.Lines(a, 3) };
    }

    private static string Key(MarketSim.ScenarioFiles.ScenarioOverrides sets) =>
        string.Join("\n", sets.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));

    private static IResult BadSession() =>
        Results.Json(new { problems = new[] { new KnobProblem("", "error: expected a session id of 1 to 64 letters, digits or '-'") } }, Json,
            statusCode: StatusCodes.Status400BadRequest);

    private static IResult Problems(IEnumerable<KnobProblem> problems) =>
        Results.Json(new { problems }, Json, statusCode: StatusCodes.Status400BadRequest);

    private static async Task Event(HttpContext http, string name, object? data, CancellationToken ct)
    {
        await http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static readonly string[] Assets = ["index.html", "studio.js", "studio.css"];

    private static IResult Asset(string name)
    {
        if (!Assets.Contains(name)) return Results.NotFound();
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name)
                           ?? throw new InvalidOperationException($"the page's {name} is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => "text/css; charset=utf-8",
        };
        return Results.Text(reader.ReadToEnd(), type);
    }

    /// <summary>Formats a count for the console.</summary>
    internal static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
