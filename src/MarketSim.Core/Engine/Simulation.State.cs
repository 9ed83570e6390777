using System.Runtime.InteropServices;

namespace MarketSim.Engine;

// Saving and restoring the engine state between steps (checkpoints). Only agent state, arrivals, locality counts and
// the step counter are stored: cohorts and decision tables are rebuilt from the model, which the caller checks is the
// same (the scenario's hash).
public sealed partial class Simulation
{
    private const uint StateMagic = 0x4D53494D; // "MISM" little-endian: MarketSim engine state
    private const int StateVersion = 1;

    /// <summary>
    /// Writes the state between steps (agents, arrivals, localities, the step counter) so that a run can stop and
    /// continue later. Derived data (cohorts, tables) is rebuilt from the model instead of stored.
    /// </summary>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ThrowIfSurrendered();
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateMagic);
        w.Write(StateVersion);
        w.Write(model.T);
        w.Write(model.P);
        w.Write(chunks.Length);
        w.Write(step);
        foreach (long arrived in tierArrived) w.Write(arrived);
        foreach (var ch in chunks)
        {
            w.Write(ch.Capacity);
            w.Write(ch.Arrived);
            w.Write(MemoryMarshal.AsBytes(ch.Cohort.AsSpan()));
            w.Write(ch.Set);
            w.Write(ch.Primary);
            w.Write(ch.Satisfaction);
            w.Write(MemoryMarshal.AsBytes(ch.Recency.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(ch.LocalPrevious.AsSpan()));
        }
    }

    private void ReadState(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (r.ReadUInt32() != StateMagic) throw new InvalidDataException("not MarketSim engine state");
            int version = r.ReadInt32();
            if (version != StateVersion) throw new InvalidDataException($"engine state version {version}, expected {StateVersion}");
            int t = r.ReadInt32(), p = r.ReadInt32(), n = r.ReadInt32();
            if (t != model.T || p != model.P || n != chunks.Length)
                throw new InvalidDataException($"engine state for {t} tiers, {p} platforms and {n} chunks; this model has {model.T}, {model.P} and {chunks.Length}");
            step = r.ReadInt32();
            if (step < 0 || step > model.Steps) throw new InvalidDataException($"engine state at step {step}, outside 0..{model.Steps}");
            for (int i = 0; i < tierArrived.Length; i++) tierArrived[i] = r.ReadInt64();
            foreach (var ch in chunks)
            {
                if (r.ReadInt32() != ch.Capacity) throw new InvalidDataException("engine state chunk sizes differ from this model's");
                ch.Arrived = r.ReadInt32();
                r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(ch.Cohort.AsSpan()));
                r.BaseStream.ReadExactly(ch.Set);
                r.BaseStream.ReadExactly(ch.Primary);
                r.BaseStream.ReadExactly(ch.Satisfaction);
                r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(ch.Recency.AsSpan()));
                r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(ch.LocalPrevious.AsSpan()));
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("engine state is truncated");
        }
    }
}
