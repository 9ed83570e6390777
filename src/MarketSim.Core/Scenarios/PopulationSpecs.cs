namespace MarketSim.Scenarios;

/// <summary>The agent population.</summary>
public sealed class PopulationSpec
{
    /// <summary>Agents standing for the online shoppers at the start; arrivals add agents at the same scale.</summary>
    [Limit(1, ScenarioLimits.MaxAgents)]
    public long Agents { get; set; } = 1_000_000;

    /// <summary>Trait cohorts per tier: agents share traits within a cohort, which keeps agent state small.</summary>
    [Limit(1, ScenarioLimits.MaxCohortsPerTier)]
    public int CohortsPerTier { get; set; } = 1024;

    /// <summary>Trait distributions.</summary>
    public TraitsSpec Traits { get; set; } = new();
}

/// <summary>Consumer traits, each a distribution drawn per cohort.</summary>
public sealed class TraitsSpec
{
    /// <summary>Weight of log effective price in the utility (before division by the tier's income index).</summary>
    public DistributionSpec PriceSensitivity { get; set; } = new() { Distribution = "lognormal", Mu = 0.7, Sigma = 0.4 };

    /// <summary>Weight of quality in the utility.</summary>
    public DistributionSpec QualitySensitivity { get; set; } = new() { Distribution = "lognormal", Mu = 0.5, Sigma = 0.4 };

    /// <summary>Weight of content and live-stream strength in the utility, and the chance of following streamers.</summary>
    public DistributionSpec ContentAffinity { get; set; } = new() { Distribution = "beta", A = 2, B = 3 };

    /// <summary>Weight of social strength and of word of mouth, 0..1.</summary>
    public DistributionSpec SocialPropensity { get; set; } = new() { Distribution = "beta", A = 2, B = 4 };

    /// <summary>Average order value in yuan at income index 1.</summary>
    public DistributionSpec OrderValueYuan { get; set; } = new() { Distribution = "lognormal", Mu = 4.6, Sigma = 0.5 };

    /// <summary>Orders per week over all platforms (Poisson rate; the step's purchase probability is 1 - exp(-rate × weeks)).</summary>
    public DistributionSpec OrdersPerWeek { get; set; } = new() { Distribution = "gamma", Shape = 2.5, Rate = 2.0 };
}

/// <summary>A continuous distribution of a consumer trait.</summary>
public sealed class DistributionSpec
{
    /// <summary>One of: constant, uniform, normal, lognormal, gamma, beta.</summary>
    public string Distribution { get; set; } = "constant";

    /// <summary>constant: the value.</summary>
    public double Value { get; set; }

    /// <summary>uniform: lower bound.</summary>
    public double Min { get; set; }

    /// <summary>uniform: upper bound.</summary>
    public double Max { get; set; }

    /// <summary>normal: mean.</summary>
    public double Mean { get; set; }

    /// <summary>normal: standard deviation.</summary>
    public double Sd { get; set; }

    /// <summary>lognormal: mean of the logarithm.</summary>
    public double Mu { get; set; }

    /// <summary>lognormal: standard deviation of the logarithm.</summary>
    public double Sigma { get; set; }

    /// <summary>gamma: shape k.</summary>
    public double Shape { get; set; }

    /// <summary>gamma: rate (1 / scale).</summary>
    public double Rate { get; set; }

    /// <summary>beta: first shape parameter.</summary>
    public double A { get; set; }

    /// <summary>beta: second shape parameter.</summary>
    public double B { get; set; }
}

/// <summary>Decision rules.</summary>
public sealed class BehaviourSpec
{
    /// <summary>Probability per week that a consumer re-evaluates its platforms.</summary>
    [Limit(0, 1)]
    public double Attention { get; set; } = 0.04;

    /// <summary>Extra weekly re-evaluation probability of a fully dissatisfied consumer (scaled by 1 - satisfaction).</summary>
    [Limit(0, 1)]
    public double DissatisfiedAttention { get; set; } = 0.06;

    /// <summary>Utility bonus of the current primary platform, at full satisfaction.</summary>
    [Limit(0, 50)]
    public double Inertia { get; set; } = 3.0;

    /// <summary>Utility penalty of a platform not yet in the consumer's set.</summary>
    [Limit(0, 50)]
    public double SwitchingCost { get; set; } = 1.5;

    /// <summary>Utility per unit of local primary share, times social propensity.</summary>
    [Limit(0, 50)]
    public double WordOfMouth { get; set; } = 2.0;

    /// <summary>Consumers per locality (social circle): consecutive agents of one tier. A power of two.</summary>
    [Limit(1, 16384)]
    public int LocalitySize { get; set; } = 256;

    /// <summary>Utility per day of delivery time.</summary>
    [Limit(0, 50)]
    public double DeliveryWeight { get; set; } = 0.3;

    /// <summary>Utility of full assortment.</summary>
    [Limit(0, 50)]
    public double AssortmentWeight { get; set; } = 1.0;

    /// <summary>Utility of full content strength for a consumer of content affinity 1.</summary>
    [Limit(0, 50)]
    public double ContentWeight { get; set; } = 2.0;

    /// <summary>Utility of full social strength for a consumer of social propensity 1.</summary>
    [Limit(0, 50)]
    public double SocialWeight { get; set; } = 2.0;

    /// <summary>
    /// How much of the established consumers' multi-homing a new online shopper brings: it has an account on each
    /// further platform with this fraction of the probability an initial consumer of its cohort uses it, not yet
    /// ordered on within the year. 0 = arrivals start with their first platform only.
    /// </summary>
    [Limit(0, 1)]
    public double ArrivalMultihoming { get; set; } = 0.5;

    /// <summary>Probability that a platform newly adopted on re-evaluation also becomes the primary.</summary>
    [Limit(0, 1)]
    public double AdoptAsPrimary { get; set; } = 0.35;

    /// <summary>Share of a consumer's orders placed on its primary platform (the rest spread over its other platforms).</summary>
    [Limit(0, 1)]
    public double PrimaryOrderShare { get; set; } = 0.6;

    /// <summary>
    /// Weeks without a purchase after which a platform other than the primary drops out of the consumer's set.
    /// At least 52, since a platform bought from in the last year is in use by definition.
    /// </summary>
    [Limit(52, 250)]
    public int InactivityWeeks { get; set; } = 78;

    /// <summary>Weight of the latest purchase experience in satisfaction (exponential smoothing), 0..1.</summary>
    [Limit(0, 1)]
    public double SatisfactionLearning { get; set; } = 0.2;

    /// <summary>Delivery days at which the experience of a purchase falls to 1/e of its quality.</summary>
    [Limit(0, double.PositiveInfinity, MinOpen = true)]
    public double DeliveryToleranceDays { get; set; } = 6.0;

    /// <summary>How strongly initial platform sets follow the cohort's utility (0 = independent of traits).</summary>
    [Limit(0, 10)]
    public double InitialSorting { get; set; } = 1.0;
}
