using MarketSim.Model;

namespace MarketSim.Engine;

/// <summary>
/// Sets the scenario's published figures against the simulation as steps go by: a figure dated D is compared with
/// the step whose days contain D. Figures dated outside the simulated period are not compared.
/// </summary>
public sealed class CalibrationTracker
{
    private readonly MarketModel model;
    private readonly List<CalibrationRow> rows = new();

    /// <summary>Creates a tracker for a model's calibration targets.</summary>
    public CalibrationTracker(MarketModel model) => this.model = model;

    /// <summary>Comparisons made so far, in the order of the scenario's targets.</summary>
    public IReadOnlyList<CalibrationRow> Rows => rows;

    /// <summary>Compares every target dated within the step.</summary>
    public void Observe(StepMetrics step)
    {
        var end = step.Date.AddDays(model.StepDays);
        foreach (var target in model.Scenario.Calibration)
        {
            if (target.Date < step.Date || target.Date >= end) continue;
            double agents;
            if (target.Metric == "online_shoppers")
                agents = step.Consumers.Sum();
            else
            {
                int p = model.PlatformIndex(target.Platform);
                agents = 0;
                for (int t = 0; t < step.Tiers; t++) agents += step.AnnualActive[step.At(t, p)];
                agents *= model.AccountsPerUser[p];
            }
            rows.Add(new CalibrationRow(target.Date, target.Platform, target.Metric, target.ValueMillions,
                agents * model.PeoplePerAgent / 1e6, target.Tolerance, target.Source));
        }
    }
}
