using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using MarketSim.Studio;

// marketsim-studio [SCENARIO]: the what-if studio on 127.0.0.1 (a free port unless --port), the address with its
// access token printed, nothing opened; Ctrl+C (or SIGTERM) stops it. Exit codes as the batch command's: 2 for input.
var scenario = new Argument<string>("SCENARIO")
{
    Description = "Starting scenario; what-ifs are compared with the file it extends (its baseline).",
    DefaultValueFactory = _ => Path.Combine("scenarios", "jd-kuaishou-alliance.yaml"),
};
var port = new Option<int>("--port") { Description = "Port to listen on (default: a free one).", DefaultValueFactory = _ => 0 };
var host = new Option<string>("--host")
{
    Description = "Address to listen on (default 127.0.0.1); a non-loopback address needs --allow-remote.",
    DefaultValueFactory = _ => "127.0.0.1",
};
var allowRemote = new Option<bool>("--allow-remote")
{
    Description = "Allow --host to be reachable from other machines (the access token is still required).",
};
var agents = new Option<long>("--agents")
{
    Description = "Agents per run, both arms (default 100000: a what-if at 3 replications answers in seconds).",
    DefaultValueFactory = _ => StudioDefaults.Agents,
};
var replications = new Option<int>("--replications")
{
    Description = "Replications per what-if under common random numbers (default 3; at least 2 for 95 % bands).",
    DefaultValueFactory = _ => StudioDefaults.Replications,
};
var threads = new Option<int>("--threads") { Description = "Worker threads in total, 0 = all cores.", DefaultValueFactory = _ => 0 };
var root = new RootCommand(
    "MarketSim studio: change an alliance's terms with sliders and see the difference against the baseline under common " +
    "random numbers, in a browser page served on this machine. An exploration tool: `marketsim compare` is the answer of record.")
{
    scenario, port, host, allowRemote, agents, replications, threads,
};
root.SetAction(async (parse, ct) =>
{
    string hostText = parse.GetValue(host)!;
    IPAddress? address = hostText == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(hostText, out var a) ? a : null;
    var errors = new List<string>();
    if (address is null) errors.Add($"--host {hostText}: expected an IP address such as 127.0.0.1");
    else if (!IPAddress.IsLoopback(address) && !parse.GetValue(allowRemote))
        errors.Add($"--host {hostText}: not a loopback address; other machines could reach the studio. Add --allow-remote to allow it (the token is still required)");
    int p = parse.GetValue(port);
    if (p is < 0 or > 65535) errors.Add($"--port {p.ToString(CultureInfo.InvariantCulture)}: expected 0 (a free port) to 65535");
    if (parse.GetValue(agents) < 1) errors.Add("--agents must be at least 1");
    if (parse.GetValue(threads) < 0) errors.Add("--threads must be 0 (all cores) or more");
    WhatIfEngine? engine = null;
    if (errors.Count == 0)
        engine = WhatIfEngine.Create(new StudioSettings(parse.GetValue(scenario)!, parse.GetValue(agents), parse.GetValue(replications),
            parse.GetValue(threads)), errors);
    if (engine is null)
    {
        foreach (var e in errors) Console.Error.WriteLine($"error: {e}");
        return 2;
    }
    var token = AccessToken.NewRandom();
    await using var app = StudioServer.Build(engine, new StudioListen(address!, p, parse.GetValue(allowRemote)), token,
        Directory.GetCurrentDirectory());
    Uri url;
    try
    {
        url = await StudioServer.StartAsync(app, ct);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"error: cannot listen on {hostText}:{p.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
        return 4;
    }
    Console.Out.WriteLine($"MarketSim studio on {engine.Settings.ScenarioPath} ({engine.Settings.Agents.ToString("N0", CultureInfo.InvariantCulture)} agents × " +
                          $"{engine.Settings.Replications.ToString(CultureInfo.InvariantCulture)} replications), baseline {Path.GetRelativePath(Directory.GetCurrentDirectory(), engine.BaselinePath)}.");
    Console.Out.WriteLine($"Open: {url.GetLeftPart(UriPartial.Authority)}/?token={token.Value}");
    Console.Out.WriteLine("Ctrl+C stops it.");
    // The first what-if (the starting scenario itself) is computed at once, so its baseline is cached when the page asks.
    _ = Task.Run(() => engine.WarmUp(app.Lifetime.ApplicationStopping), app.Lifetime.ApplicationStopping);
    using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
    try
    {
        await Task.Delay(Timeout.Infinite, either.Token);
    }
    catch (OperationCanceledException)
    {
        Console.Out.WriteLine("Stopping.");
    }
    await app.StopAsync(CancellationToken.None);
    return 0;
});
// Ctrl+C (SIGINT) and SIGTERM stop the studio: the running what-ifs are cancelled at their next step and Kestrel stops.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (stop.IsCancellationRequested) return;
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);

/// <summary>The studio's defaults.</summary>
internal static class StudioDefaults
{
    /// <summary>Agents per run: 100 000, the issue's target size for a what-if answered within 5 s on 2 cores.</summary>
    public const long Agents = 100_000;

    /// <summary>Replications per what-if: 3, the fewest that give a 95 % band with some width to trust.</summary>
    public const int Replications = 3;
}
