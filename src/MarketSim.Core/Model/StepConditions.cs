using MarketSim.Scenarios;

namespace MarketSim.Model;

/// <summary>Traffic sharing in force: users of <paramref name="From"/> in a tier see <paramref name="To"/>.</summary>
/// <param name="Tier">Tier index.</param>
/// <param name="From">Platform giving traffic.</param>
/// <param name="To">Platform receiving it.</param>
/// <param name="Share">Share of users exposed, 0..1.</param>
public readonly record struct TrafficLink(int Tier, int From, int To, double Share);

/// <summary>One step's effective platform attributes, [tier*P+platform], and calendar effects.</summary>
public sealed class StepConditions
{
    private readonly double[][] values;

    /// <summary>Allocates conditions for a model's dimensions.</summary>
    public StepConditions(int tiers, int platforms, int streamers = 0)
    {
        StreamerActivity = new double[streamers];
        SliceShare = new double[streamers];
        SlicePartner = new int[streamers];
        SliceDelivered = new double[tiers * streamers];
        int tp = tiers * platforms;
        values = PlatformAttribute.All.Select(_ => new double[tp]).ToArray();
        // Named views of the same arrays, resolved once: the table builder reads them per cohort.
        (Brand, PriceLevel, Quality, Assortment, Content) = (Values(PlatformAttribute.Brand), Values(PlatformAttribute.PriceLevel),
            Values(PlatformAttribute.Quality), Values(PlatformAttribute.Assortment), Values(PlatformAttribute.Content));
        (Social, Subsidy, DeliveryDays, Reach, Basket) = (Values(PlatformAttribute.Social), Values(PlatformAttribute.Subsidy),
            Values(PlatformAttribute.DeliveryDays), Values(PlatformAttribute.Reach), Values(PlatformAttribute.Basket));
        PlatformSpend = new double[platforms];
    }

    /// <summary>Step these conditions belong to.</summary>
    public int Step { get; set; }
    /// <summary>An attribute's values, [tier*P+platform].</summary>
    public double[] Values(PlatformAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return values[attribute.Index];
    }
    /// <summary>Alternative-specific constant, including co-promotion boosts.</summary>
    public double[] Brand { get; }
    /// <summary>Price index (including goods supplied by an alliance partner).</summary>
    public double[] PriceLevel { get; }
    /// <summary>Quality 0..1 (including goods supplied by an alliance partner).</summary>
    public double[] Quality { get; }
    /// <summary>Assortment 0..1.</summary>
    public double[] Assortment { get; }
    /// <summary>Content strength 0..1.</summary>
    public double[] Content { get; }
    /// <summary>Social strength 0..1.</summary>
    public double[] Social { get; }
    /// <summary>Subsidy share of price.</summary>
    public double[] Subsidy { get; }
    /// <summary>Delivery days (including deliveries by an alliance partner).</summary>
    public double[] DeliveryDays { get; }
    /// <summary>Marketing reach 0..1.</summary>
    public double[] Reach { get; }
    /// <summary>Order value index (category mix), GMV only.</summary>
    public double[] Basket { get; }
    /// <summary>Multiplier on purchase probability of consumers whose primary is the platform (co-promotions).</summary>
    public double[] PlatformSpend { get; }
    /// <summary>Per streamer community: 0 before its start, ramping to 1 (its sessions and pull in force).</summary>
    public double[] StreamerActivity { get; }
    /// <summary>
    /// Per streamer community: share of its orders that are an alliance partner's goods (the supplied slice, 0 when
    /// none). Only these orders take the partner's quality, price and (with logistics) delivery.
    /// </summary>
    public double[] SliceShare { get; }
    /// <summary>Per streamer community: the partner supplying its slice, or -1.</summary>
    public int[] SlicePartner { get; }
    /// <summary>Share of a community's slice delivered by the partner, [tier*G+community] (logistics; 0 = the host delivers).</summary>
    public double[] SliceDelivered { get; }
    /// <summary>Traffic sharing in force.</summary>
    public List<TrafficLink> Traffic { get; } = new();
    /// <summary>Festival multiplier on purchase probability and basket, averaged over the step's days.</summary>
    public double SpendMultiplier { get; set; } = 1;
    /// <summary>Festival multiplier on attention, averaged over the step's days.</summary>
    public double AttentionMultiplier { get; set; } = 1;
    /// <summary>Share of the step's days inside each festival's window.</summary>
    public Dictionary<string, double> FestivalFractions { get; } = new();

    private IEnumerable<double[]> Arrays() => [.. values, PlatformSpend, SliceShare, SliceDelivered, StreamerActivity];

    /// <summary>True when every condition (not the step number) equals <paramref name="other"/>'s, bit for bit.</summary>
    public bool SameAs(StepConditions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Arrays().Zip(other.Arrays()).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second))
               && SlicePartner.AsSpan().SequenceEqual(other.SlicePartner)
               && Traffic.SequenceEqual(other.Traffic)
               && SpendMultiplier.Equals(other.SpendMultiplier) && AttentionMultiplier.Equals(other.AttentionMultiplier)
               && FestivalFractions.Count == other.FestivalFractions.Count
               && FestivalFractions.All(f => other.FestivalFractions.TryGetValue(f.Key, out var v) && v.Equals(f.Value));
    }

    /// <summary>Makes this a copy of <paramref name="other"/> (same dimensions).</summary>
    public void CopyFrom(StepConditions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (to, from) in Arrays().Zip(other.Arrays())) from.CopyTo(to, 0);
        other.SlicePartner.CopyTo(SlicePartner, 0);
        Traffic.Clear();
        Traffic.AddRange(other.Traffic);
        SpendMultiplier = other.SpendMultiplier;
        AttentionMultiplier = other.AttentionMultiplier;
        FestivalFractions.Clear();
        foreach (var (k, v) in other.FestivalFractions) FestivalFractions[k] = v;
        Step = other.Step;
    }

    /// <summary>Share of the step's days inside a festival's window (0 for unknown ids).</summary>
    public double FestivalFraction(string id) => FestivalFractions.TryGetValue(id, out var f) ? f : 0;

    /// <summary>The array holding an attribute by its scenario name.</summary>
    public double[] Attribute(string name) =>
        PlatformAttribute.Find(name) is { } a ? values[a.Index] : throw new ArgumentException($"unknown attribute '{name}'", nameof(name));
}
