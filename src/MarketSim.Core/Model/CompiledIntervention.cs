using MarketSim.Scenarios;

namespace MarketSim.Model;

/// <summary>
/// An intervention compiled once to an attribute, a platform index and a tier mask: each step it multiplies and adds
/// in proportion to its ramp, <c>x · (1 + (multiply − 1)·r) + add·r</c>, with no look-up by name.
/// </summary>
internal sealed class CompiledIntervention
{
    private readonly PlatformAttribute _attribute;
    private readonly int _platform, _platforms;
    private readonly bool[] _tiers;
    private readonly double _multiply, _add;

    public CompiledIntervention(string id, InterventionSpec iv, IReadOnlyList<string> platformIds, IReadOnlyList<string> tierIds)
    {
        Id = id;
        _attribute = PlatformAttribute.Find(iv.Attribute) ?? throw new ArgumentException($"unknown attribute '{iv.Attribute}' (the scenario was not validated)", nameof(iv));
        _platform = ScenarioIndex.Of(platformIds, iv.Platform);
        _platforms = platformIds.Count;
        _tiers = ScenarioIndex.TierMask(iv.Tiers, tierIds);
        (_multiply, _add) = (iv.Multiply, iv.Add);
        (Start, End, RampDays) = (iv.Start, iv.End, iv.RampDays);
    }

    /// <summary>The intervention's id in the scenario.</summary>
    public string Id { get; }
    /// <summary>The attribute it changes.</summary>
    public PlatformAttribute Attribute => _attribute;
    /// <summary>The platform index it changes.</summary>
    public int Platform => _platform;
    /// <summary>Per tier, whether it acts there.</summary>
    public IReadOnlyList<bool> Tiers => _tiers;

    public DateOnly Start { get; }
    public DateOnly? End { get; }
    public int RampDays { get; }

    public void Apply(StepConditions c, double ramp)
    {
        var target = c.Values(_attribute);
        for (int t = 0; t < _tiers.Length; t++)
        {
            if (!_tiers[t]) continue;
            int i = t * _platforms + _platform;
            target[i] = target[i] * (1 + (_multiply - 1) * ramp) + _add * ramp;
        }
    }
}
