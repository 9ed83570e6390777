using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MarketSim.Cli.Terminal;

/// <summary>
/// Reports progress: a live bar with ETA on an interactive terminal, plain log lines (every 10 %) when output is
/// redirected, so that batch logs stay readable and a progress bar never tears a log file.
/// </summary>
public static class ProgressReporter
{
    /// <summary>True when stdout and stderr are a terminal.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && !Console.IsErrorRedirected
                                      && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>Runs <paramref name="work"/>, which reports each finished unit through the callback.</summary>
    public static async Task RunAsync(string description, int total, ILogger logger, Func<Action<string?>, Task> work)
    {
        if (Interactive)
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(description), maxValue: total);
                    await work(label =>
                    {
                        task.Increment(1);
                        if (label is not null) task.Description = Markup.Escape($"{description} {label}");
                    });
                });
            return;
        }
        int done = 0, nextReport = 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await work(label =>
        {
            done++;
            if (done * 10 < nextReport * total && done != total) return;
            while (done * 10 >= nextReport * total) nextReport++;
            double eta = clock.Elapsed.TotalSeconds / done * (total - done);
            logger.Progress(description, done, total, label ?? "", eta);
        });
    }
}
