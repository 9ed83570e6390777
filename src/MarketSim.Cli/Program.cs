using System.CommandLine;
using System.Runtime.InteropServices;
using MarketSim.Cli;
using MarketSim.Cli.Commands;
using MarketSim.Cli.Runs;
using MarketSim.Cli.Terminal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The generic host supplies configuration (MARKETSIM_ environment variables, appsettings.json), logging and DI;
// System.CommandLine parses arguments and turns Ctrl+C / SIGTERM into cancellation of the running action.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = [],
    ContentRootPath = AppContext.BaseDirectory,
    DisableDefaults = true,
});
builder.Configuration.AddEnvironmentVariables("MARKETSIM_");
builder.Logging.ClearProviders();
// Logs go to stderr so that they never interleave with results or tear the progress bar; one plain line each.
builder.Logging.AddConsole(o =>
{
    o.LogToStandardErrorThreshold = LogLevel.Trace;
    o.FormatterName = PlainConsoleFormatter.Name;
}).AddConsoleFormatter<PlainConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
builder.Logging.SetMinimumLevel(builder.Configuration.GetValue("LOGLEVEL", LogLevel.Information));
builder.Services.AddSingleton<RunJob>();
builder.Services.AddSingleton<BenchJob>();
builder.Services.AddSingleton<CompareJob>();
builder.Services.AddSingleton<SweepJob>();

using var host = builder.Build();
// Redirected output has no width and Spectre.Console would wrap at 80 columns, splitting paths and table rows.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 4096;
var root = new RootCommand(
    "MarketSim: an agent-based simulator of Chinese consumers moving between e-commerce and content platforms " +
    "(Taobao/Tmall, JD, Pinduoduo, Kuaishou, Douyin …) across city tiers, for alliance what-ifs such as JD.com–Kuaishou.\n" +
    "Start with: marketsim run scenarios/jd-kuaishou-alliance.yaml")
{
    RunCommand.Create(host.Services),
    BenchCommand.Create(host.Services),
    CompareCommand.Create(host.Services),
    SweepCommand.Create(host.Services),
};
// Ctrl+C (SIGINT) and SIGTERM (a cluster preempting the job) both cancel the running command, which stops at a step
// boundary and cleans up; a second signal is left to the default handler so a stuck process can still be killed.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (stop.IsCancellationRequested) return;
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    // A wrong command line is invalid input like a wrong scenario: one line each, exit code 2 (System.CommandLine says 1).
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Try 'marketsim --help' or 'marketsim run --help'.");
    return ExitCodes.InvalidInput;
}
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
