using MarketSim.Output;

namespace MarketSim.Cli.Runs;

/// <summary>Where <c>--posterior K</c> finds its ensemble when <c>--ensemble</c> is not given: one rule for run and compare.</summary>
internal static class PosteriorInput
{
    /// <summary>
    /// The ensemble of the calibration that fitted the scenario: <c>posterior.parquet</c> in the folder of its
    /// <c>fitted_by</c> file (read relative to <paramref name="scenarioPath"/>'s folder; for the default baseline
    /// scenarios/calibration/posterior.parquet), or null when the scenario names no calibration.
    /// </summary>
    public static string? DefaultPath(string scenarioPath, string fittedBy) =>
        fittedBy.Length == 0 ? null
            : Path.Combine(Path.GetDirectoryName(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(scenarioPath))!, fittedBy))!, PosteriorFileName);

    /// <summary>The ensemble's file name in a posterior calibration's folder.</summary>
    public const string PosteriorFileName = "posterior.parquet";

    /// <summary>Reads the ensemble named or found; null and one message for people when there is none or it cannot be read.</summary>
    public static async Task<(PosteriorEnsemble? Ensemble, string? Problem)> ReadAsync(string? given, string scenarioPath, string fittedBy, CancellationToken ct)
    {
        string? path = given ?? DefaultPath(scenarioPath, fittedBy);
        if (path is null)
            return (null, $"--posterior: {scenarioPath} names no calibration (fitted_by), so there is no default ensemble; name one with --ensemble");
        try
        {
            return (await PosteriorEnsemble.ReadAsync(path, ct), null);
        }
        catch (PosteriorEnsembleException e)
        {
            return (null, $"--posterior: {e.Message}");
        }
    }
}
