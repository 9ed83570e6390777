using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Engine;

/// <summary>
/// Everything the hot loop needs for one step, precomputed per tier and cohort so that an agent step is table
/// look-ups and integer compares: utilities are exponentiated once per cohort, not once per agent.
/// Probabilities are 16-bit thresholds compared with 16-bit slices of one 64-bit draw.
/// </summary>
internal sealed class DecisionTables
{
    public const int One = 1 << 16;

    /// <summary>
    /// Orders beyond the first that a step can hold: the count of a step's orders is read from one 16-bit draw by
    /// inverse transform (<see cref="OrderCount"/>), so a Poisson count costs no draw of its own. Sixteen levels lose
    /// 0.02 % of orders at 7.5 orders a step (a heavy buyer at Double 11), 0.3 % at 10, nothing measurable at the mean.
    /// </summary>
    public const int Levels = 16;

    public DecisionTables(MarketModel m)
    {
        int c = m.Cohorts.Count, p = m.P, t = m.T;
        Conditions = new StepConditions(t, p, m.Scenario.Streamers.Count);
        ExpUtility = Jagged<float>(t, c * p);
        BuyThreshold = Jagged<int>(t, c * p);
        OrderFen = Jagged<int>(t, c * p);
        SliceFen = Jagged<int>(t, c);
        int g = m.Scenario.Streamers.Count;
        SliceThreshold = new int[g];
        SliceExperience = new int[t * g];
        sliceQuality = new double[g];
        slicePrice = new double[g];
        sliceDelivery = new double[g];
        StreamThreshold = Jagged<int>(t, c);
        OrderCount = Jagged<ushort>(t, c * p * Levels);
        FirstLevels = Jagged<int>(t, PackedPairs * c * p);
        StreamCount = Jagged<ushort>(t, c * Levels);
        WordOfMouth = Jagged<float>(t, c);
        Reach = new float[t * p];
        AdoptionExternalRate = new double[t * p];
        AdoptionImitationRate = new double[t * p];
        AdoptionExternalPerReach = new double[t * p];
        Experience = new int[t * p];
        AttentionThreshold = new int[256];
        InertiaFactor = new float[256];
        FirstPlatformCumulative = new int[t * p];
        TrafficByTier = new TrafficLink[t][];
        utilityChanged = new bool[t * p];
        valueChanged = new bool[t * p];
        countChanged = new bool[p];
        streamChanged = new bool[t * m.Scenario.Streamers.Count];
    }

    public StepConditions Conditions { get; }

    private StepConditions? built;
    /// <summary>exp(utility) without reach, inertia, switching cost and word of mouth, [tier][cohort*P+p].</summary>
    public float[][] ExpUtility { get; }
    /// <summary>Probability of at least one order this step given the primary platform, [tier][cohort*P+primary].</summary>
    public int[][] BuyThreshold { get; }
    /// <summary>Order value in fen, [tier][cohort*P+p].</summary>
    public int[][] OrderFen { get; }
    /// <summary>
    /// Value in fen of an order of the supplied slice (the partner's goods through the followed community: its price,
    /// the host's basket), [tier][cohort]; 0 when the cohort's community has no slice.
    /// </summary>
    public int[][] SliceFen { get; }
    /// <summary>Probability that an order through a community is of its supplied slice, per community (16-bit).</summary>
    public int[] SliceThreshold { get; }
    /// <summary>Satisfaction an order of a community's slice moves toward, 0..255, [tier*G+community].</summary>
    public int[] SliceExperience { get; }
    // Per community, in the tier being built: the slice's quality, price index and delivery days.
    private readonly double[] sliceQuality, slicePrice, sliceDelivery;
    /// <summary>Probability of an order through the followed streamers, [tier][cohort].</summary>
    public int[][] StreamThreshold { get; }
    /// <summary>
    /// P(N ≥ k + 2) for a step's Poisson count N of orders given the primary platform, k = 0 … <see cref="Levels"/> − 1,
    /// [tier][(cohort*P+primary)*Levels + k]. With the order draw u below <see cref="BuyThreshold"/> (= P(N ≥ 1)), the
    /// count is 1 + the number of levels u is also below: an exact inverse-transform draw at 16-bit resolution.
    /// </summary>
    public ushort[][] OrderCount { get; }
    /// <summary>
    /// The first six levels of <see cref="OrderCount"/> packed in pairs, [tier][PackedPairs*(cohort*P+primary) + j] =
    /// P(N ≥ 2j + 2) | P(N ≥ 2j + 3) &lt;&lt; 16: the vector loop counts up to seven orders with three gathers and no
    /// branch, and reads a lane's whole row only for a seventh order. With the default order rates (gamma, shape 2.5,
    /// rate 2 a week) that is 0.8 % of buyers in an ordinary week and 9 % at Double 11's ×2.2; with four levels (a
    /// fifth order) it was 4.7 % and 23 %, and those reads of a table too large for the cache cost about a tenth of
    /// the bench's time (measured by leaving them out).
    /// </summary>
    public int[][] FirstLevels { get; }
    /// <summary>
    /// Ints per row of <see cref="FirstLevels"/>: pairs of packed levels. The readers are written out for three (the
    /// vector block's three gathers, the scalar OrderCount's five comparisons and its fallback on the sixth level), so
    /// changing this means changing them.
    /// </summary>
    public const int PackedPairs = 3;
    /// <summary>The same levels for the orders through the followed streamers, [tier][cohort*Levels + k].</summary>
    public ushort[][] StreamCount { get; }
    /// <summary>Word-of-mouth coefficient (weight × social propensity), [tier][cohort].</summary>
    public float[][] WordOfMouth { get; }
    /// <summary>Reach, [tier*P+p].</summary>
    public float[] Reach { get; }
    /// <summary>Bass external adoption hazard of the step (rate × reach × weeks), [tier*P+p].</summary>
    public double[] AdoptionExternalRate { get; }
    /// <summary>
    /// Bass external adoption hazard of the step per unit of reach (rate × weeks), [tier*P+p]: a traffic link adds its share
    /// to the target's reach for users of its source, and so this × share to their hazard (docs/model.md §3).
    /// </summary>
    public double[] AdoptionExternalPerReach { get; }
    /// <summary>Bass imitation hazard of the step at a user share of 1 (rate × weeks), [tier*P+p].</summary>
    public double[] AdoptionImitationRate { get; }
    /// <summary>Whether any platform has an adoption hazard this step (else the engine skips adoption altogether).</summary>
    public bool Adoption { get; private set; }
    /// <summary>Whether any platform has an imitation term this step (else locality user counts are not needed).</summary>
    public bool Imitation { get; private set; }
    /// <summary>Satisfaction a purchase moves toward, 0..255, [tier*P+p].</summary>
    public int[] Experience { get; }
    /// <summary>Probability of re-evaluating, by satisfaction 0..255.</summary>
    public int[] AttentionThreshold { get; }
    /// <summary>exp(inertia × satisfaction), by satisfaction 0..255.</summary>
    public float[] InertiaFactor { get; }
    /// <summary>Cumulative first-platform mix thresholds, [tier*P+p].</summary>
    public int[] FirstPlatformCumulative { get; }
    /// <summary>Traffic sharing in force, per tier.</summary>
    public TrafficLink[][] TrafficByTier { get; }
    public float SwitchingFactor { get; set; }
    public int PrimaryOrderThreshold { get; set; }
    public int AdoptAsPrimaryThreshold { get; set; }
    public int SatisfactionLearning256 { get; set; }

    private static T[][] Jagged<T>(int n, int m)
    {
        var a = new T[n][];
        for (int i = 0; i < n; i++) a[i] = new T[m];
        return a;
    }

    internal static int Threshold(double probability) =>
        (int)Math.Round(Math.Clamp(probability, 0, 1) * One);

    /// <summary>
    /// Fills <paramref name="levels"/> with P(N ≥ k + 2), k = 0 … <see cref="Levels"/> − 1, for N ~ Poisson(<paramref name="rate"/>),
    /// as 16-bit thresholds. They fall with k, so a draw below level k is below every level before it. A threshold of
    /// <see cref="One"/> does not fit 16 bits; it is kept at One − 1, which moves one draw in 65 536 of a step whose
    /// second order is all but certain (rate above 11).
    /// </summary>
    internal static void FillCountLevels(double rate, Span<ushort> levels)
    {
        double pmf = Math.Exp(-rate), cdf = pmf; // P(N = 0), P(N ≤ 0)
        for (int k = 0; k < levels.Length; k++)
        {
            pmf *= rate / (k + 1);               // P(N = k + 1)
            cdf += pmf;                          // P(N ≤ k + 1)
            levels[k] = (ushort)Math.Min(One - 1, Threshold(1 - cdf));
            // cdf only grows, so once a level is 0 every later one is: the rest of the row is 0 without the arithmetic.
            if (levels[k] == 0) { levels[(k + 1)..].Clear(); return; }
        }
    }

    private double builtPace = double.NaN;

    // What changed since the tables were last built (docs/performance.md, "Small runs"): per tier and platform the
    // inputs of the utility and of the order value, per platform those of the order count, per tier those of the
    // streamer terms. A table entry is recomputed, by the same expression, only when one of its inputs changed, so
    // the tables hold the same bits as a full rebuild (tested against one at every step).
    private readonly bool[] utilityChanged, valueChanged, countChanged, streamChanged;

    /// <summary>For tests: rebuild every entry whenever the conditions change, as before incremental building.</summary>
    internal bool AlwaysFull { get; set; }

    /// <summary>Whether these tables have the dimensions <paramref name="m"/> needs (tiers, platforms, cohorts, communities).</summary>
    public bool Fits(MarketModel m) =>
        ExpUtility.Length == m.T && Reach.Length == m.T * m.P && ExpUtility[0].Length == m.Cohorts.Count * m.P
        && SliceThreshold.Length == m.Scenario.Streamers.Count;

    /// <summary>Forgets what was built, so that the next <see cref="Build"/> fills every entry.</summary>
    public void Invalidate()
    {
        built = null;
        builtPace = double.NaN;
    }

    private static bool Differ(double a, double b) => BitConverter.DoubleToInt64Bits(a) != BitConverter.DoubleToInt64Bits(b);

    /// <summary>Sets the change flags by comparing <paramref name="cond"/> with the conditions last built (all set on the first build).</summary>
    /// <returns>True when every entry is to be filled (the first build, or <see cref="AlwaysFull"/>).</returns>
    private bool FindChanges(MarketModel m, StepConditions cond)
    {
        int P = m.P, T = m.T, G = cond.StreamerActivity.Length;
        var old = built;
        if (old is null || AlwaysFull)
        {
            Array.Fill(utilityChanged, true);
            Array.Fill(valueChanged, true);
            Array.Fill(countChanged, true);
            Array.Fill(streamChanged, true);
            return true;
        }
        bool spend = Differ(cond.SpendMultiplier, old.SpendMultiplier);
        for (int p = 0; p < P; p++) countChanged[p] = spend || Differ(cond.PlatformSpend[p], old.PlatformSpend[p]);
        for (int t = 0; t < T; t++)
        {
            for (int p = 0; p < P; p++)
            {
                int i = t * P + p;
                utilityChanged[i] = Differ(cond.PriceLevel[i], old.PriceLevel[i]) || Differ(cond.Quality[i], old.Quality[i])
                                    || Differ(cond.Assortment[i], old.Assortment[i]) || Differ(cond.DeliveryDays[i], old.DeliveryDays[i])
                                    || Differ(cond.Brand[i], old.Brand[i]) || Differ(cond.Subsidy[i], old.Subsidy[i])
                                    || Differ(cond.Content[i], old.Content[i]) || Differ(cond.Social[i], old.Social[i]);
                valueChanged[i] = Differ(cond.PriceLevel[i], old.PriceLevel[i]) || Differ(cond.Basket[i], old.Basket[i]);
            }
            // A community's terms (its order rate, trust, slice value, and its host's utility for its followers) read the
            // spend on its host, its activity and slice, and its host's and partner's quality, price, assortment,
            // delivery and basket.
            for (int g = 0; g < G; g++)
            {
                int host = m.StreamerPlatform[g];
                streamChanged[t * G + g] = countChanged[host] || Differ(cond.StreamerActivity[g], old.StreamerActivity[g])
                                           || Differ(cond.SliceShare[g], old.SliceShare[g]) || cond.SlicePartner[g] != old.SlicePartner[g]
                                           || Differ(cond.SliceDelivered[t * G + g], old.SliceDelivered[t * G + g])
                                           || Touched(t * P + host) || (cond.SlicePartner[g] >= 0 && Touched(t * P + cond.SlicePartner[g]));
            }
        }

        return false;

        bool Touched(int i) => utilityChanged[i] || valueChanged[i];
    }

    /// <summary>Fills the tables for a step.</summary>
    /// <param name="m">The model.</param>
    /// <param name="step">Step whose conditions apply.</param>
    /// <param name="attentionPace">Multiplies every re-evaluation hazard: 1 in the run; above 1 only in the fast part of the burn-in.</param>
    public void Build(MarketModel m, int step, double attentionPace = 1)
    {
        var s = m.Scenario;
        var b = s.Behaviour;
        var co = m.Cohorts;
        var cond = Conditions;
        m.Conditions(step, cond);
        // Most weeks nothing changes (no festival, ramp or intervention starting): the tables are a pure function of
        // the conditions, so rebuilding them would only repeat the same exp and log over every cohort.
        if (built is not null && built.SameAs(cond) && builtPace == attentionPace) return;
        bool full = FindChanges(m, cond);
        built ??= new StepConditions(m.T, m.P, m.Scenario.Streamers.Count);
        built.CopyFrom(cond);
        builtPace = attentionPace;
        int P = m.P, C = co.Count;
        double weeks = m.StepDays / 7.0;

        for (int a = 0; a < 256; a++)
        {
            double sat = a / 255.0;
            double rate = -Math.Log(1 - Math.Min(b.Attention * cond.AttentionMultiplier, 0.999999))
                          - Math.Log(1 - Math.Min(b.DissatisfiedAttention * (1 - sat), 0.999999));
            AttentionThreshold[a] = Threshold(1 - Math.Exp(-rate * weeks * attentionPace));
            InertiaFactor[a] = (float)Math.Exp(b.Inertia * sat);
        }
        SwitchingFactor = (float)Math.Exp(-b.SwitchingCost);
        PrimaryOrderThreshold = Threshold(b.PrimaryOrderShare);
        AdoptAsPrimaryThreshold = Threshold(b.AdoptAsPrimary);
        SatisfactionLearning256 = (int)Math.Round(b.SatisfactionLearning * 256);

        Adoption = Imitation = false;
        var adoptExternal = cond.Values(PlatformAttribute.AdoptionExternal);
        var adoptImitation = cond.Values(PlatformAttribute.AdoptionImitation);
        for (int i = 0; i < m.T * P; i++)
        {
            AdoptionExternalPerReach[i] = adoptExternal[i] * weeks;
            AdoptionExternalRate[i] = adoptExternal[i] * cond.Reach[i] * weeks;
            AdoptionImitationRate[i] = adoptImitation[i] * weeks;
            Adoption |= AdoptionExternalRate[i] > 0 || AdoptionImitationRate[i] > 0;
            Imitation |= AdoptionImitationRate[i] > 0;
        }

        var streamers = s.Streamers.Values.ToArray();
        int G = streamers.Length;
        for (int g = 0; g < G; g++) SliceThreshold[g] = cond.SlicePartner[g] >= 0 ? Threshold(cond.SliceShare[g]) : 0;
        var baseQuality = m.Base(PlatformAttribute.Quality);
        for (int t = 0; t < m.T; t++)
        {
            int cum = 0;
            for (int p = 0; p < P; p++)
            {
                int i = t * P + p;
                Reach[i] = (float)cond.Reach[i];
                Experience[i] = (int)Math.Round(255 * cond.Quality[i] * Math.Exp(-cond.DeliveryDays[i] / b.DeliveryToleranceDays));
                cum += Threshold(m.FirstPlatformMix[i]);
                FirstPlatformCumulative[i] = p == P - 1 ? One : Math.Min(cum, One);
            }
            TrafficByTier[t] = cond.Traffic.Where(l => l.Tier == t).ToArray();
            // A link raises its target's external hazard for its source's users, even where the target's reach is 0.
            foreach (var link in TrafficByTier[t])
                Adoption |= link.Share > 0 && AdoptionExternalPerReach[t * P + link.To] > 0;
            for (int g = 0; g < G; g++)
            {
                int partner = cond.SlicePartner[g];
                if (partner < 0) { SliceExperience[t * G + g] = 0; continue; }
                int hi = t * P + m.StreamerPlatform[g], pi = t * P + partner;
                // The slice is the partner's goods: its quality and price; delivered by the partner for the share
                // logistics covers, by the host otherwise.
                double delivered = cond.SliceDelivered[t * G + g];
                sliceQuality[g] = cond.Quality[pi];
                slicePrice[g] = cond.PriceLevel[pi];
                sliceDelivery[g] = (1 - delivered) * cond.DeliveryDays[hi] + delivered * cond.DeliveryDays[pi];
                SliceExperience[t * G + g] = (int)Math.Round(255 * sliceQuality[g] * Math.Exp(-sliceDelivery[g] / b.DeliveryToleranceDays));
            }

            var eu = ExpUtility[t]; var buy = BuyThreshold[t]; var fen = OrderFen[t];
            var ordersPerWeek = co.OrdersPerWeek[t];
            // A week whose changes touch no platform of this tier leaves its platform entries alone; a community's
            // followers are visited only when the community's terms changed.
            bool platformWork = countChanged.AsSpan().Contains(true) || utilityChanged.AsSpan(t * P, P).Contains(true)
                                || valueChanged.AsSpan(t * P, P).Contains(true);
            if (!platformWork && !streamChanged.AsSpan(t * G, G).Contains(true)) continue;
            for (int c = 0; c < C; c++)
            {
                int g = co.Follows[t][c];
                if (full) WordOfMouth[t][c] = (float)(b.WordOfMouth * co.SocialPropensity[t][c]);
                // The followed community first: its order rate sizes the slice in this cohort's orders on its host.
                int host = -1, partner = -1;
                double slice = 0, streamOrders = 0;
                // A cohort that follows no community keeps the zeros of the first build.
                bool streamDirty = g >= 0 ? streamChanged[t * G + g] : full;
                if (!platformWork && !streamDirty) continue;
                if (g >= 0)
                {
                    host = m.StreamerPlatform[g];
                    partner = cond.SlicePartner[g];
                    slice = partner >= 0 ? cond.SliceShare[g] : 0;
                    int i = t * P + host;
                    var st = streamers[g];
                    // Followers trust a streamer's goods as much as their quality allows: a partner's slice lifts it for
                    // the communities that sell the partner's goods, and for no other.
                    double goods = slice > 0 ? (1 - slice) * cond.Quality[i] + slice * sliceQuality[g] : cond.Quality[i];
                    double trust = goods / Math.Max(0.05, baseQuality[i]);
                    streamOrders = st.SessionsPerWeek * weeks * st.Attendance * st.Conversion * trust
                                   * cond.SpendMultiplier * cond.PlatformSpend[host] * cond.StreamerActivity[g];
                    if (streamDirty)
                    {
                        StreamThreshold[t][c] = Threshold(1 - Math.Exp(-streamOrders));
                        FillCountLevels(streamOrders, StreamCount[t].AsSpan(c * Levels, Levels));
                        SliceFen[t][c] = slice > 0 ? (int)Math.Round(co.OrderValueYuan[t][c] * slicePrice[g] * cond.Basket[i] * 100) : 0;
                    }
                }
                else if (streamDirty)
                {
                    StreamThreshold[t][c] = 0;
                    StreamCount[t].AsSpan(c * Levels, Levels).Clear();
                    SliceFen[t][c] = 0;
                }
                for (int p = 0; p < P; p++)
                {
                    int i = t * P + p;
                    // The host's utility reads the community's terms (pull, activity, the slice's weight among orders).
                    if (utilityChanged[i] || (p == host && streamDirty))
                    {
                        double orders = Orders(c, p);
                        double quality = cond.Quality[i], price = cond.PriceLevel[i], assortment = cond.Assortment[i], delivery = cond.DeliveryDays[i];
                        if (p == host && slice > 0 && streamOrders + orders > 0)
                        {
                            // The host as this cohort meets it: the slice's share of its orders there (its community's
                            // orders × the slice share, over those plus its own orders on the host) is the partner's goods.
                            double w = slice * streamOrders / (streamOrders + orders);
                            int pi = t * P + partner;
                            quality = (1 - w) * quality + w * sliceQuality[g];
                            price = (1 - w) * price + w * slicePrice[g];
                            // The partner's range is added to the host's, not averaged with it.
                            assortment += w * (1 - assortment) * cond.Assortment[pi];
                            delivery = (1 - w) * delivery + w * sliceDelivery[g];
                        }
                        double u = cond.Brand[i]
                            - co.PriceSensitivity[t][c] * Math.Log(price * (1 - cond.Subsidy[i]))
                            + co.QualitySensitivity[t][c] * quality
                            + b.AssortmentWeight * assortment
                            + b.ContentWeight * co.ContentAffinity[t][c] * cond.Content[i]
                            + b.SocialWeight * co.SocialPropensity[t][c] * cond.Social[i]
                            - b.DeliveryWeight * delivery;
                        if (g >= 0 && host == p) u += streamers[g].Pull * cond.StreamerActivity[g];
                        eu[c * P + p] = (float)Math.Exp(Math.Clamp(u, -60, 60));
                    }
                    if (countChanged[p])
                    {
                        int row = c * P + p;
                        double orders = Orders(c, p);
                        if (p > 0 && BitConverter.DoubleToInt64Bits(orders) == BitConverter.DoubleToInt64Bits(Orders(c, p - 1)))
                        {
                            // The same rate as the platform before (equal platform spend): the same row, without its arithmetic.
                            buy[row] = buy[row - 1];
                            OrderCount[t].AsSpan((row - 1) * Levels, Levels).CopyTo(OrderCount[t].AsSpan(row * Levels, Levels));
                            FirstLevels[t].AsSpan(PackedPairs * (row - 1), PackedPairs).CopyTo(FirstLevels[t].AsSpan(PackedPairs * row, PackedPairs));
                        }
                        else
                        {
                            buy[row] = Threshold(1 - Math.Exp(-orders));
                            var levels = OrderCount[t].AsSpan(row * Levels, Levels);
                            FillCountLevels(orders, levels);
                            for (int j = 0; j < PackedPairs; j++)
                                FirstLevels[t][PackedPairs * row + j] = levels[2 * j] | levels[2 * j + 1] << 16;
                        }
                    }
                    if (valueChanged[i])
                        fen[c * P + p] = (int)Math.Round(co.OrderValueYuan[t][c] * cond.PriceLevel[i] * cond.Basket[i] * 100);
                }
            }

            // A cohort's expected orders on a platform this step: one expression wherever it is needed, so the same bits.
            double Orders(int c, int p) => ordersPerWeek[c] * weeks * cond.SpendMultiplier * cond.PlatformSpend[p];
        }
    }
}
