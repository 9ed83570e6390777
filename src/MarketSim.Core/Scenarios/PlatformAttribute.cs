namespace MarketSim.Scenarios;

/// <summary>
/// One platform attribute that the utility reads and that interventions and alliances may change: its scenario key,
/// unit, the range a scenario file may give, and the range the model clamps it to after changes. The scenario types
/// hold the values, <see cref="ScenarioValidator"/> checks them against <see cref="ValidMin"/>..<see cref="ValidMax"/>,
/// and the model (<c>MarketModel</c>) compiles and clamps them: adding an attribute is one entry in <see cref="All"/>.
/// </summary>
/// <param name="Key">Scenario key (snake_case), also the intervention attribute name.</param>
/// <param name="Unit">Unit or scale, for documentation and messages.</param>
/// <param name="ValidMin">Smallest value a scenario may give.</param>
/// <param name="ValidMax">Largest value a scenario may give.</param>
/// <param name="MinOpen">The smallest value itself is excluded (a price or a delivery time of 0 means nothing).</param>
/// <param name="ClampMin">After interventions and alliances, values below this are raised to it.</param>
/// <param name="ClampMax">After interventions and alliances, values above this are lowered to it.</param>
/// <param name="Scalar">The platform's value, for an attribute given once per platform; null when given per tier.</param>
/// <param name="Tiered">The platform's values by tier id, for an attribute given per tier; null otherwise.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The model's term: an attribute of a platform (a term of the utility), not a .NET attribute.")]
public sealed record PlatformAttribute(string Key, string Unit, double ValidMin, double ValidMax, bool MinOpen,
    double ClampMin, double ClampMax, Func<PlatformSpec, double>? Scalar, Func<PlatformSpec, OrderedDictionary<string, double>>? Tiered)
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>Alternative-specific constant (brand, habit, everything not modelled); unbounded.</summary>
    public static PlatformAttribute Brand { get; } = new("brand", "utility", -Inf, Inf, false, -Inf, Inf, p => p.Brand, null);

    /// <summary>Price index, 1 = market average; an intervention cannot push it below 0.01.</summary>
    public static PlatformAttribute PriceLevel { get; } = new("price_level", "index, 1 = market average", 0, 10, true, 0.01, Inf, p => p.PriceLevel, null);

    /// <summary>Perceived quality and authenticity.</summary>
    public static PlatformAttribute Quality { get; } = new("quality", "0..1", 0, 1, false, 0, 1, p => p.Quality, null);

    /// <summary>Breadth of assortment.</summary>
    public static PlatformAttribute Assortment { get; } = new("assortment", "0..1", 0, 1, false, 0, 1, p => p.Assortment, null);

    /// <summary>Content and live-stream strength.</summary>
    public static PlatformAttribute Content { get; } = new("content", "0..1", 0, 1, false, 0, 1, p => p.Content, null);

    /// <summary>Social and group-buying strength.</summary>
    public static PlatformAttribute Social { get; } = new("social", "0..1", 0, 1, false, 0, 1, p => p.Social, null);

    /// <summary>Share of price paid by platform subsidies.</summary>
    public static PlatformAttribute Subsidy { get; } = new("subsidy", "share of price", 0, 0.9, false, 0, 0.9, p => p.Subsidy, null);

    /// <summary>Typical delivery time per tier; an intervention cannot push it below 0.1 days.</summary>
    public static PlatformAttribute DeliveryDays { get; } = new("delivery_days", "days", 0, 60, true, 0.1, Inf, null, p => p.DeliveryDays);

    /// <summary>Marketing reach per tier: the weight with which a re-evaluating consumer considers the platform.</summary>
    public static PlatformAttribute Reach { get; } = new("reach", "0..1", 0, 1, false, 0, 1, null, p => p.Reach);

    /// <summary>
    /// Value of an order on the platform relative to the consumer's typical order at price level 1: the category mix
    /// (appliances and electronics on Tmall and JD, small daily goods on Pinduoduo) that the price level does not
    /// capture. Enters the order value only, not the utility, so that GMV per order can be fitted to reported GMV
    /// without moving choices.
    /// </summary>
    public static PlatformAttribute Basket { get; } = new("basket", "order value index, 1 = typical", 0, 5, true, 0.01, 5, p => p.Basket, null);

    /// <summary>
    /// Bass external adoption rate per week (p): times the tier's reach, the weekly hazard of adding the platform to a
    /// consumer's set without imitation. Interventions (subsidies, marketing) move it.
    /// </summary>
    public static PlatformAttribute AdoptionExternal { get; } = new("adoption_external", "per week", 0, 1, false, 0, 1, p => p.AdoptionExternal, null);

    /// <summary>Bass imitation rate per week (q): times the share of users in the consumer's locality.</summary>
    public static PlatformAttribute AdoptionImitation { get; } = new("adoption_imitation", "per week", 0, 1, false, 0, 1, p => p.AdoptionImitation, null);

    /// <summary>Every attribute, in the order of the model's per-step condition arrays (an attribute's index is its position).</summary>
    public static IReadOnlyList<PlatformAttribute> All { get; } =
        [PriceLevel, Quality, Assortment, Content, Social, Subsidy, DeliveryDays, Reach, Brand, Basket, AdoptionExternal, AdoptionImitation];

    /// <summary>Given per tier (a map of tier id to value) rather than once for the platform.</summary>
    public bool PerTier => Tiered is not null;

    /// <summary>The attribute with a scenario key, or null.</summary>
    public static PlatformAttribute? Find(string key) => All.FirstOrDefault(a => a.Key == key);

    /// <summary>Position in <see cref="All"/>.</summary>
    public int Index => IndexOf(this);

    private static int IndexOf(PlatformAttribute a)
    {
        for (int i = 0; i < All.Count; i++) if (ReferenceEquals(All[i], a)) return i;
        throw new InvalidOperationException($"attribute {a.Key} is not registered");
    }

    /// <summary>A platform's value of this attribute in one tier, as the scenario gives it.</summary>
    public double ValueOf(PlatformSpec platform, string tier)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return Tiered is { } tiered ? tiered(platform)[tier] : Scalar!(platform);
    }

    /// <summary>The value clamped to the model's range, as after every step's changes.</summary>
    public double Clamp(double value) => Math.Clamp(value, ClampMin, ClampMax);
}
