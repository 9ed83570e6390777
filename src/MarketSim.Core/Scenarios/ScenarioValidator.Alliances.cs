using System.Globalization;
using MarketSim.Model.Alliances;

namespace MarketSim.Scenarios;

public static partial class ScenarioValidator
{
    /// <summary>The checks of alliances: members, periods, exclusivity, and what their clause kinds ask through <see cref="IAllianceChecks"/>.</summary>
    private sealed partial class Checker
    {
        private void Alliances()
        {
            var all = s.Alliances.ToArray();
            for (int j = 0; j < all.Length; j++)
            {
                var (id, a) = (all[j].Key, all[j].Value);
                string path = $"alliances.{id}";
                Id(path, id);
                var seen = new HashSet<string>();
                for (int i = 0; i < a.Members.Count; i++)
                {
                    string m = a.Members[i];
                    if (!seen.Add(m)) Add($"{path}.members[{i}]", $"platform '{m}' is listed twice");
                    else Ref($"{path}.members[{i}]", m, "platform", platforms);
                }
                if (seen.Count < 2)
                    Add(path + ".members", $"expected at least 2 different platforms, got {seen.Count}");
                Period(path, a.Start, a.End);

                foreach (var kind in AllianceClauseKind.All) kind.Validate(this, path, a);

                // The later of two clashing alliances gets the issue: the earlier one was fine until this one came.
                for (int i = 0; i < j; i++)
                {
                    var (otherId, other) = (all[i].Key, all[i].Value);
                    if (!(a.Exclusive || other.Exclusive) || !Overlap(a, other)) continue;
                    string exclusive = a.Exclusive ? id : otherId;
                    for (int k = 0; k < a.Members.Count; k++)
                        if (other.Members.Contains(a.Members[k]) && a.Members.IndexOf(a.Members[k]) == k)
                            Add($"{path}.members[{k}]",
                                $"platform '{a.Members[k]}' is also in alliance '{otherId}' over an overlapping period, " +
                                $"but alliance '{exclusive}' is exclusive");
                }
            }
        }

        public void TierIds(string path, List<string> ids)
        {
            for (int k = 0; k < ids.Count; k++) Ref($"{path}[{k}]", ids[k], "tier", tiers);
        }

        public void HostStreamers(string path, List<string> ids, string host)
        {
            if (ids.Count == 0)
            {
                var own = s.Streamers.Where(g => g.Value.Platform == host).Select(g => g.Key).ToList();
                Add(path, $"name the streamer communities of '{host}' that sell the partner's goods (the supplied slice); " +
                          $"communities of '{host}': {(own.Count == 0 ? "none" : string.Join(", ", own))}");
                return;
            }
            string[] known = [.. s.Streamers.Keys];
            for (int k = 0; k < ids.Count; k++)
                if (Ref($"{path}[{k}]", ids[k], "streamer community", known) && s.Streamers[ids[k]].Platform != host)
                    Add($"{path}[{k}]", $"community '{ids[k]}' sells on '{s.Streamers[ids[k]].Platform}', not on the host '{host}'");
        }

        public void CoPromotedFestivals(string p, CoPromotionSpec promo, AllianceSpec a)
        {
            for (int k = 0; k < promo.Festivals.Count; k++)
                if (Ref($"{p}.festivals[{k}]", promo.Festivals[k], "festival", festivals) && promo.EveryOccurrence)
                    FestivalInPeriod($"{p}.festivals[{k}]", promo.Festivals[k], a);
            CoPromotedOccurrences(p, promo, a);
        }

        public void LaunchedFestivals(string p, LaunchSpec launch, AllianceSpec a)
        {
            if (launch.Festivals.Count == 0) Add(p + ".festivals", "a launch names at least one festival of the calendar (the event the alliance creates)");
            if (string.IsNullOrWhiteSpace(launch.Source))
                Add(p + ".source", "a launch says where the claim that the alliance created the event comes from (an announcement, press coverage)");
            for (int k = 0; k < launch.Festivals.Count; k++)
            {
                string path = $"{p}.festivals[{k}]", id = launch.Festivals[k];
                if (!Ref(path, id, "festival", festivals)) continue;
                var f = s.Calendar.Festivals[id];
                if (f.WhatIf != true)
                    Add(path, $"festival '{id}' is launched by the alliance, so it exists only in the what-if: mark it what_if: true in calendar.festivals");
                if (f.Annual is not null || f.Lunar is not null)
                    Add(path, $"festival '{id}' recurs every year; a launch is one event: give the festival its dates");
                else if (f.Dates.Any(d => d.AddDays(-f.LeadDays) < a.Start || (a.End is { } e && d > e)))
                    Add(path, $"festival '{id}' has a day outside the alliance's period (from {a.Start:yyyy-MM-dd}, window included): an alliance cannot launch an event before it exists");
                foreach (var (other, o) in s.Alliances)
                    if (o != a && o.Launch is { } ol && ol.Festivals.Contains(id))
                        Add(path, $"festival '{id}' is launched by alliance '{other}' too; one alliance owns an event");
            }
        }

        private static bool Overlap(AllianceSpec a, AllianceSpec b) =>
            a.Start <= (b.End ?? DateOnly.MaxValue) && b.Start <= (a.End ?? DateOnly.MaxValue);

        /// <summary>
        /// A co-promotion acts only while a festival window overlaps the alliance: one that never does (a festival dated
        /// only before the alliance starts, or none inside its period) is a mistake. The alliance's own period is what
        /// counts, not the run's, so a shortened run does not turn a valid scenario invalid.
        /// </summary>
        private void FestivalInPeriod(string path, string id, AllianceSpec a)
        {
            if (!s.Calendar.Festivals.TryGetValue(id, out var f) || (f.Annual is { } annual && !IsMonthDay(annual))) return;
            if (a.End is { } e && e < a.Start) return; // reported by Period
            var from = a.Start;
            var to = a.End ?? DateOnly.MaxValue;
            int lastYear = Math.Min(to.Year, from.Year + 1) + 1; // an open or long alliance meets an annual festival within a year
            bool any = f.Days(from.Year, Math.Min(lastYear, 9998)).Any(d => d >= from && d.AddDays(-f.LeadDays) <= to);
            if (!any)
                Add(path, $"festival '{id}' has no occurrence between {from:yyyy-MM-dd} and {(a.End is { } end ? end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "the alliance's open end")} " +
                          "(the alliance's period), so the co-promotion would never act; add a date to the festival or remove it from the co-promotion");
        }

        /// <summary>
        /// Which occurrences a co-promotion covers is said, never assumed: omitting years, dates and every_occurrence is an
        /// error (a yearly festival co-promoted by accident would recur for as long as an open-ended alliance runs). Each
        /// year must hold an occurrence of every listed festival, each date must be the day of one, and each must lie in
        /// the alliance's period (festival day on or after its start, window opening by its end). The alliance's period
        /// counts, not the run's, so a shortened run does not turn a valid scenario invalid.
        /// </summary>
        private void CoPromotedOccurrences(string p, CoPromotionSpec promo, AllianceSpec a)
        {
            if (promo.EveryOccurrence)
            {
                if (promo.Years.Count > 0 || promo.Dates.Count > 0)
                    Add(p + ".every_occurrence", "expected either every_occurrence: true or years/dates, not both " +
                        "(in a scenario that extends one with years or dates, set them to ~ to co-promote every occurrence)");
                return;
            }
            if (promo.Years.Count == 0 && promo.Dates.Count == 0)
            {
                Add(p, "expected years: [YYYY, ...] or dates: [YYYY-MM-DD, ...] saying which occurrences of the festivals are " +
                       "co-promoted (or every_occurrence: true for every occurrence while the alliance runs)");
                return;
            }
            if (a.End is { } end && end < a.Start) return; // reported by Period
            var listed = promo.Festivals.Distinct().Where(id => s.Calendar.Festivals.TryGetValue(id, out var f)
                && (f.Annual is not { } annual || IsMonthDay(annual))).ToList();
            string period = $"{a.Start:yyyy-MM-dd} to {(a.End is { } e ? e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "its open end")}";

            // Why one occurrence is outside the alliance's period, or null when it is inside.
            string? Outside(string id, DateOnly day)
            {
                var f = s.Calendar.Festivals[id];
                long from = (long)day.DayNumber - f.LeadDays;
                if (day < a.Start)
                    return $"the {day:yyyy-MM-dd} occurrence of festival '{id}' is before the alliance's start ({period}), so it would not be co-promoted";
                if (a.End is { } last && from > last.DayNumber)
                    return $"the {day:yyyy-MM-dd} occurrence of festival '{id}' (window from {DateOnly.FromDayNumber((int)from):yyyy-MM-dd}) " +
                           $"opens after the alliance's end ({period}), so it would not be co-promoted";
                return null;
            }

            var seenYears = new HashSet<int>();
            for (int k = 0; k < promo.Years.Count; k++)
            {
                int y = promo.Years[k];
                string path = $"{p}.years[{k}]";
                if (!seenYears.Add(y)) { Add(path, $"year {y} is listed twice"); continue; }
                if (y < 1 || y > 9999) { Add(path, $"expected a year from 1 to 9999, got {y}"); continue; }
                foreach (var id in listed)
                {
                    var f = s.Calendar.Festivals[id];
                    var days = f.Days(y, y).Where(d => d.Year == y).Distinct().ToList();
                    if (days.Count == 0)
                    {
                        var known = f.Days(Math.Max(1, a.Start.Year - 1), Math.Min(9999, a.Start.Year + 2)).Distinct().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
                        Add(path, $"festival '{id}' has no occurrence in {y} (its days: {(known.Count > 0 ? string.Join(", ", known) : "none")}); " +
                                  "list single occurrences under dates: instead");
                        continue;
                    }
                    foreach (var day in days)
                        if (Outside(id, day) is { } why) Add(path, why);
                }
            }
            var seenDates = new HashSet<DateOnly>();
            for (int k = 0; k < promo.Dates.Count; k++)
            {
                var day = promo.Dates[k];
                string path = $"{p}.dates[{k}]";
                if (!seenDates.Add(day)) { Add(path, $"date {day:yyyy-MM-dd} is listed twice"); continue; }
                var hosts = listed.Where(id => s.Calendar.Festivals[id].Days(day.Year, day.Year).Contains(day)).ToList();
                if (hosts.Count == 0)
                {
                    var near = listed.SelectMany(id => s.Calendar.Festivals[id].Days(day.Year, day.Year).Where(d => d.Year == day.Year)
                        .Select(d => $"{id} {d:yyyy-MM-dd}")).Distinct().ToList();
                    Add(path, $"{day:yyyy-MM-dd} is not the day of an occurrence of {string.Join(" or ", listed.Select(id => $"'{id}'"))}" +
                              $" (their days in {day.Year}: {(near.Count > 0 ? string.Join(", ", near) : "none")}); a date names a festival day, the last day of its window");
                    continue;
                }
                foreach (var id in hosts)
                    if (Outside(id, day) is { } why) Add(path, why);
            }
            // With dates only, a listed festival none of them names would never be co-promoted.
            if (promo.Years.Count == 0)
                for (int k = 0; k < promo.Festivals.Count; k++)
                {
                    string id = promo.Festivals[k];
                    if (listed.Contains(id) && !promo.Dates.Any(d => s.Calendar.Festivals[id].Days(d.Year, d.Year).Contains(d)))
                        Add($"{p}.festivals[{k}]", $"festival '{id}' is listed but none of the dates names one of its occurrences, so it would never be co-promoted");
                }
        }

        public void Pair(string path, string firstKey, string first, string secondKey, string second, List<string> members)
        {
            bool ok = Member(path + "." + firstKey, first, members);
            ok &= Member(path + "." + secondKey, second, members);
            if (ok && first == second)
                Add(path + "." + secondKey, $"expected a platform other than the {firstKey} '{first}'");
        }

        private bool Member(string path, string platform, List<string> members)
        {
            if (!Ref(path, platform, "platform", platforms)) return false;
            if (members.Contains(platform)) return true;
            Add(path, $"expected a member of the alliance ({string.Join(", ", members)}), got '{platform}'");
            return false;
        }
    }
}
