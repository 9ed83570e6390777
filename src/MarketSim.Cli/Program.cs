using System.CommandLine;
using System.Runtime.InteropServices;
using MarketSim.Cli;
using MarketSim.Cli.Commands;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
using MarketSim.Cli.Terminal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The environment is input too: a log level that names no level is refused before anything starts (exit 2).
if (!EnvironmentInput.TryLogLevel(Environment.GetEnvironmentVariable(EnvironmentInput.LogLevelVariable), out var logLevel, out string? levelProblem))
{
    Console.Error.WriteLine($"error: {levelProblem}");
    return ExitCodes.InvalidInput;
}
// The generic host supplies configuration (MARKETSIM_ environment variables; no settings file is read), logging and DI;
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
builder.Logging.SetMinimumLevel(logLevel);
builder.Services.AddSingleton<RunJob>();
builder.Services.AddSingleton<CompareJob>();
builder.Services.AddSingleton<SweepJob>();
builder.Services.AddSingleton<AnalyzeJob>();
builder.Services.AddSingleton<CalibrateJob>();

using var host = builder.Build();
// Redirected output has no width and Spectre.Console would wrap at 80 columns, splitting paths and table rows.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 4096;
var root = new RootCommand(
    "MarketSim: an agent-based simulator of Chinese consumers moving between e-commerce and content platforms " +
    "(Taobao/Tmall, JD, Pinduoduo, Kuaishou, Douyin …) across city tiers, for alliance what-ifs such as JD.com–Kuaishou.\n" +
    "Start with: marketsim init DIR (writes the default scenarios and data, shipped inside the tool, to DIR/scenarios/), then\n" +
    "marketsim run DIR/scenarios/jd-kuaishou-alliance.yaml (in a checkout of the repository: marketsim run scenarios/jd-kuaishou-alliance.yaml)\n\n" +
    "Environment variables:\n" +
    "  MARKETSIM_LOGLEVEL            log level on stderr: Trace, Debug, Information (default), Warning, Error\n" +
    "  CI (any value)                plain log lines instead of a progress bar (as when output is redirected)\n" +
    "  JOB_COMPLETION_INDEX          sweep --shards N: this shard's index (Kubernetes Indexed Job)\n" +
    "  SLURM_ARRAY_TASK_ID           sweep --shards N: this shard's index (Slurm job array)\n" +
    "  MARKETSIM_JOB_COMPLETIONS     sweep: when set, must equal the shard count N (a Job's completions)")
{
    RunCommand.Create(host.Services),
    BenchCommand.Create(host.Services),
    CompareCommand.Create(host.Services),
    SweepCommand.Create(host.Services),
    AnalyzeCommand.Create(host.Services),
    CalibrateCommand.Create(host.Services),
    InitCommand.Create(),
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
// Bare `marketsim` is someone finding their way: show the help (exit 0) rather than "Required command was not provided".
// Response files go through the input boundary's limits (a regular file, at most 1 MiB) before System.CommandLine reads them.
var parserConfiguration = new ParserConfiguration();
parserConfiguration.ResponseFileTokenReplacer = ResponseFiles.Replacer(parserConfiguration.ResponseFileTokenReplacer);
var parsed = root.Parse(args.Length == 0 ? ["--help"] : args, parserConfiguration);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    // A wrong command line is invalid input like a wrong scenario: one line each, exit code 2 (System.CommandLine says 1).
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
    string used = parsed.CommandResult.Command is RootCommand ? "" : " " + parsed.CommandResult.Command.Name;
    Console.Error.WriteLine($"Try 'marketsim{used} --help'.");
    return ExitCodes.InvalidInput;
}
try
{
    // System.CommandLine's own handler prints every exception with its stack trace; Faults tells faults from bugs.
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, stop.Token);
}
catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
{
    return Faults.Report(e, Console.Error);
}
