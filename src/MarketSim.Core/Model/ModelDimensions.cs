namespace MarketSim.Model;

/// <summary>Names and colours of the model's dimensions, in the order every array of results uses.</summary>
/// <param name="TierIds">Tier ids as in the scenario.</param>
/// <param name="TierNames">Tier display names.</param>
/// <param name="PlatformIds">Platform ids as in the scenario.</param>
/// <param name="PlatformNames">Platform display names.</param>
/// <param name="PlatformColors">Platform colours as "#RRGGBB".</param>
/// <param name="PeoplePerAgent">People one agent stands for; every count in results is agents × this factor.</param>
/// <param name="StepDays">Length of a step in days.</param>
public sealed record ModelDimensions(
    IReadOnlyList<string> TierIds,
    IReadOnlyList<string> TierNames,
    IReadOnlyList<string> PlatformIds,
    IReadOnlyList<string> PlatformNames,
    IReadOnlyList<string> PlatformColors,
    double PeoplePerAgent,
    int StepDays)
{
    /// <summary>Number of tiers.</summary>
    public int Tiers => TierIds.Count;

    /// <summary>Number of platforms.</summary>
    public int Platforms => PlatformIds.Count;
}
