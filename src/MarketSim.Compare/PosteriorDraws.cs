using System.Globalization;
using MarketSim.Output;
using MarketSim.ScenarioFiles;

namespace MarketSim.Compare;

/// <summary>
/// How a posterior draw becomes a scenario, one rule for <c>compare --posterior</c> and <c>run --posterior</c>: the
/// user's overrides, then the drawn set's values (each named as that set in any message), and no option may set a path
/// the ensemble samples.
/// </summary>
public static class PosteriorDraws
{
    /// <summary>The overrides <paramref name="overrides"/> followed by ensemble row <paramref name="row"/>'s parameter values.</summary>
    public static ScenarioOverrides With(IReadOnlyDictionary<string, string> overrides, PosteriorEnsemble ensemble, int row)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var o = new ScenarioOverrides(overrides);
        foreach (var (path, value) in ensemble.Overrides(row))
            o.Set(path, value, $"{ensemble.Path}, parameter set {row.ToString(CultureInfo.InvariantCulture)}");
        return o;
    }

    /// <summary>One problem per option that sets a path the ensemble samples; <paramref name="what"/> names the job ("a comparison").</summary>
    public static IEnumerable<string> SetBySampled(IReadOnlyDictionary<string, string> overrides, PosteriorEnsemble ensemble, string what)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(ensemble);
        return ensemble.Paths.Where(overrides.ContainsKey).Select(path =>
            $"{(overrides is ScenarioOverrides o ? o.Origin(path) : "--set " + path)}: {ensemble.Path} samples {path}; " +
            $"{what} under the posterior takes it from each draw, so drop the option");
    }
}
