using MarketSim.Scenarios;

namespace MarketSim.Model;

/// <summary>
/// An intervention compiled once to an attribute, a platform index and a tier mask: each step it multiplies and adds
/// in proportion to its ramp, <c>x · (1 + (multiply − 1)·r) + add·r</c>, with no look-up by name.
/// </summary>
internal sealed class CompiledIntervention
{
    private readonly PlatformAttribute attribute;
    private readonly int platform, platforms;
    private readonly bool[] tiers;
    private readonly double multiply, add;

    public CompiledIntervention(string id, InterventionSpec iv, IReadOnlyList<string> platformIds, IReadOnlyList<string> tierIds)
    {
        Id = id;
        attribute = PlatformAttribute.Find(iv.Attribute) ?? throw new ArgumentException($"unknown attribute '{iv.Attribute}' (the scenario was not validated)", nameof(iv));
        platform = ScenarioIndex.Of(platformIds, iv.Platform);
        platforms = platformIds.Count;
        tiers = ScenarioIndex.TierMask(iv.Tiers, tierIds);
        (multiply, add) = (iv.Multiply, iv.Add);
        (Start, End, RampDays) = (iv.Start, iv.End, iv.RampDays);
    }

    /// <summary>The intervention's id in the scenario.</summary>
    public string Id { get; }
    /// <summary>The attribute it changes.</summary>
    public PlatformAttribute Attribute => attribute;
    /// <summary>The platform index it changes.</summary>
    public int Platform => platform;
    /// <summary>Per tier, whether it acts there.</summary>
    public IReadOnlyList<bool> Tiers => tiers;

    public DateOnly Start { get; }
    public DateOnly? End { get; }
    public int RampDays { get; }

    public void Apply(StepConditions c, double ramp)
    {
        var target = c.Values(attribute);
        for (int t = 0; t < tiers.Length; t++)
        {
            if (!tiers[t]) continue;
            int i = t * platforms + platform;
            target[i] = target[i] * (1 + (multiply - 1) * ramp) + add * ramp;
        }
    }
}
