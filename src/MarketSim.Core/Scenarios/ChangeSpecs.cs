namespace MarketSim.Scenarios;

/// <summary>A change of one platform attribute over a period, in some tiers.</summary>
public sealed class InterventionSpec
{
    /// <summary>Platform changed.</summary>
    public string Platform { get; set; } = "";

    /// <summary>Attribute changed: price_level, quality, assortment, content, social, subsidy, delivery_days, reach or brand.</summary>
    public string Attribute { get; set; } = "";

    /// <summary>First day in force.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last day in force; open-ended when absent.</summary>
    public DateOnly? End { get; set; }

    /// <summary>Tiers affected; all when empty.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Value multiplied into the attribute (applied before <see cref="Add"/>).</summary>
    [Limit(0, double.PositiveInfinity)]
    public double Multiply { get; set; } = 1.0;

    /// <summary>Value added to the attribute.</summary>
    public double Add { get; set; }

    /// <summary>Days over which the change ramps in linearly (a build-out rather than a switch).</summary>
    [Limit(0, int.MaxValue)]
    public int RampDays { get; set; }
}

/// <summary>An alliance between platforms over a period.</summary>
public sealed class AllianceSpec
{
    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Platforms in the alliance (two or more).</summary>
    public List<string> Members { get; set; } = new();

    /// <summary>First day in force.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last day in force; open-ended when absent.</summary>
    public DateOnly? End { get; set; }

    /// <summary>Goods of a partner sold on a host: the host's quality, price and assortment move toward the partner's.</summary>
    public List<SupplySharingSpec> Supply { get; set; } = new();

    /// <summary>A partner delivering a host's orders: the host's delivery days move toward the partner's, per tier.</summary>
    public List<LogisticsSharingSpec> Logistics { get; set; } = new();

    /// <summary>A platform sending its users' attention to a partner.</summary>
    public List<TrafficSharingSpec> Traffic { get; set; } = new();

    /// <summary>Joint festival promotions.</summary>
    public CoPromotionSpec? CoPromotion { get; set; }

    /// <summary>Festivals the alliance launches (held only with it); null when it launches none.</summary>
    public LaunchSpec? Launch { get; set; }

    /// <summary>When true, no member may be in another alliance over an overlapping period.</summary>
    public bool Exclusive { get; set; }
}

/// <summary>Supply sharing: <see cref="Share"/> of the orders of the host's named streamer communities are the partner's goods.</summary>
public sealed class SupplySharingSpec
{
    /// <summary>Platform whose storefront sells the goods.</summary>
    public string Host { get; set; } = "";

    /// <summary>Platform whose goods are sold.</summary>
    public string Partner { get; set; } = "";

    /// <summary>
    /// The host's streamer communities that sell the partner's goods: the supplied slice is made of their orders only.
    /// Required: a supply clause says which part of the host's sales it covers.
    /// </summary>
    public List<string> Streamers { get; set; } = new();

    /// <summary>Share of the named communities' orders that are the partner's goods, 0..1 (the slice).</summary>
    [Limit(0, 1)]
    public double Share { get; set; }

    /// <summary>Days over which the share ramps in from the alliance start.</summary>
    [Limit(0, int.MaxValue)]
    public int RampDays { get; set; }
}

/// <summary>
/// Logistics sharing: <see cref="Share"/> of the supplied slice (the partner's goods sold on the host, a supply clause
/// of the same alliance) delivered by the partner, and <see cref="OwnGoodsShare"/> of the host's own goods — a separate
/// size, 0 unless the deal says the partner also delivers what it did not sell.
/// </summary>
public sealed class LogisticsSharingSpec
{
    /// <summary>Platform whose orders are delivered.</summary>
    public string Host { get; set; } = "";

    /// <summary>Platform delivering.</summary>
    public string Partner { get; set; } = "";

    /// <summary>Share of the supplied slice's orders delivered by the partner, 0..1.</summary>
    [Limit(0, 1)]
    public double Share { get; set; }

    /// <summary>Share of the host's own goods' orders (outside the supplied slice) delivered by the partner, 0..1; default 0.</summary>
    [Limit(0, 1)]
    public double OwnGoodsShare { get; set; }

    /// <summary>Tiers where the partner delivers; all when empty.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Days over which the share ramps in from the alliance start.</summary>
    [Limit(0, int.MaxValue)]
    public int RampDays { get; set; }
}

/// <summary>Traffic sharing: the source platform's users see the target platform.</summary>
public sealed class TrafficSharingSpec
{
    /// <summary>Platform giving traffic.</summary>
    public string From { get; set; } = "";

    /// <summary>Platform receiving traffic.</summary>
    public string To { get; set; } = "";

    /// <summary>Share of the source's users exposed, 0..1: raises the target's reach and utility for them.</summary>
    [Limit(0, 1)]
    public double Share { get; set; }

    /// <summary>Tiers where traffic is shared; all when empty.</summary>
    public List<string> Tiers { get; set; } = new();

    /// <summary>Days over which the share ramps in from the alliance start.</summary>
    [Limit(0, int.MaxValue)]
    public int RampDays { get; set; }
}

/// <summary>
/// An event the alliance itself creates (the 2020 Kuaishou 616, launched with the JD.com deal): festivals of the calendar,
/// each marked <c>what_if: true</c>, held only while this clause is in the scenario. Switching the clause off (attribution,
/// <c>effect_of</c>) removes them from the calendar with it, so the event's effect is the clause's attribution line, not a
/// difference between the arms that nothing owns.
/// </summary>
public sealed class LaunchSpec
{
    /// <summary>Ids of the calendar festivals the alliance launches.</summary>
    public List<string> Festivals { get; set; } = new();

    /// <summary>Where the claim that the alliance created the event comes from (the announcement, press coverage).</summary>
    public string Source { get; set; } = "";
}

/// <summary>
/// Joint promotion of the members during chosen occurrences of named festivals. Which occurrences is always said
/// explicitly (<see cref="Years"/>, <see cref="Dates"/> or <see cref="EveryOccurrence"/>): an alliance has no end date
/// as a rule, and a recurring festival co-promoted by default would make a yearly festival most of its effect.
/// </summary>
public sealed class CoPromotionSpec
{
    /// <summary>Festival ids during which the members promote together.</summary>
    public List<string> Festivals { get; set; } = new();

    /// <summary>Years whose occurrences of every listed festival are co-promoted (the year of the festival day).</summary>
    public List<int> Years { get; set; } = new();

    /// <summary>Festival days of single occurrences co-promoted (each the day of one of the listed festivals).</summary>
    public List<DateOnly> Dates { get; set; } = new();

    /// <summary>Co-promote every occurrence of the listed festivals while the alliance runs; excludes years and dates.</summary>
    public bool EveryOccurrence { get; set; }

    /// <summary>True when the occurrence of a listed festival whose festival day is <paramref name="day"/> is co-promoted.</summary>
    public bool Selects(DateOnly day) => EveryOccurrence || Years.Contains(day.Year) || Dates.Contains(day);

    /// <summary>Utility bonus of each member during those festivals.</summary>
    [Limit(0, 50)]
    public double UtilityBoost { get; set; } = 0.5;

    /// <summary>Extra multiplier on purchase probability on the members during those festivals.</summary>
    [Limit(0, 20)]
    public double SpendMultiplier { get; set; } = 1.2;
}

/// <summary>Where one of the scenario's values comes from: a source, a plausible range, or both.</summary>
public sealed class AssumptionSpec
{
    /// <summary>
    /// What the value rests on, as a strategist could have had it on 27 May 2020 (an announcement, a company report, the
    /// seed article's figures); never an outcome after 31 March 2020. Empty when only a plausible range is given.
    /// </summary>
    public string Source { get; set; } = "";

    /// <summary>[low, high]: the values believed plausible; the scenario's value lies inside. Empty when only a source is given.</summary>
    public List<double> Plausible { get; set; } = new();

    /// <summary>True when the source is recalled, not checked against the publication (weigh it less).</summary>
    public bool Recalled { get; set; }
}
