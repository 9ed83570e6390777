-- DuckDB views over a MarketSim sweep dataset (docs/sweeps.md). Tested by tests/duckdb/views-check.mjs.
-- Usage, in the DuckDB CLI or Python (duckdb.sql(...)), from anywhere:
--   SET VARIABLE marketsim_root = 'output/alliance-traffic-supply';   -- the sweep's --out folder
--   .read docs/views.sql                                              -- Python: duckdb.sql(open('docs/views.sql').read())
--   SELECT * FROM national WHERE platform = 'jd' LIMIT 5;
-- A single run's folder holds plain files (metrics.parquet, dimensions.parquet …): read them directly.

-- One row per run with its parameters; seed_unsigned is the seed as the scenario and the files' marketsim.seed
-- metadata give it (runs.parquet stores its 64 bits as a signed BIGINT).
CREATE OR REPLACE VIEW runs AS
SELECT *,
       CASE WHEN seed < 0 THEN seed::HUGEINT + 18446744073709551616 ELSE seed::HUGEINT END AS seed_unsigned
FROM read_parquet(getvariable('marketsim_root') || '/runs.parquet');

CREATE OR REPLACE VIEW metrics AS
SELECT * FROM read_parquet(getvariable('marketsim_root') || '/metrics/**/*.parquet',
                           hive_partitioning = true, hive_types = {'run': INTEGER});

CREATE OR REPLACE VIEW calibration AS
SELECT * FROM read_parquet(getvariable('marketsim_root') || '/calibration/**/*.parquet',
                           hive_partitioning = true, hive_types = {'run': INTEGER});

-- Tiers and platforms (id, display name, order, colour) as each run had them.
CREATE OR REPLACE VIEW dimensions AS
SELECT * FROM read_parquet(getvariable('marketsim_root') || '/dimensions/**/*.parquet',
                           hive_partitioning = true, hive_types = {'run': INTEGER});

-- Metrics with display names and scenario order: ORDER BY tier_order, platform_order sorts as the scenario does,
-- and PIVOT … ON platform_name shows names.
CREATE OR REPLACE VIEW metrics_named AS
SELECT m.*, t.name AS tier_name, t."order" AS tier_order, p.name AS platform_name, p."order" AS platform_order,
       p.colour AS platform_colour
FROM metrics m
JOIN dimensions t ON t.run = m.run AND t.kind = 'tier' AND t.id = m.tier
JOIN dimensions p ON p.run = m.run AND p.kind = 'platform' AND p.id = m.platform;

-- Hive views below: the run partition as an INTEGER (DuckDB reads run=000012 as VARCHAR unless told its type).

-- National totals per run, step and platform (join runs on run for the run's parameters). consumers repeats on every platform row
-- of a tier, so it is summed once per tier.
CREATE OR REPLACE VIEW national AS
WITH per_tier AS (
  SELECT run, step, date, tier, any_value(consumers) AS consumers FROM metrics GROUP BY ALL
), shoppers AS (
  SELECT run, step, sum(consumers) AS consumers FROM per_tier GROUP BY ALL
)
SELECT m.run, m.step, m.date, m.platform, any_value(m.platform_name) AS platform_name, any_value(m.platform_order) AS platform_order,
       sum(m.annual_active) AS annual_active, sum(m.primary_users) AS primary_users,
       sum(m.primary_users) / any_value(s.consumers) AS primary_share, any_value(s.consumers) AS consumers,
       sum(m.gmv_yuan) AS gmv_yuan, sum(m.supplied_gmv_yuan) AS supplied_gmv_yuan
FROM metrics_named m JOIN shoppers s USING (run, step)
GROUP BY m.run, m.step, m.date, m.platform;
