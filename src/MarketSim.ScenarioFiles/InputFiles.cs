using System.Runtime.InteropServices;
using System.Text;

namespace MarketSim.ScenarioFiles;

/// <summary>Why an input file could not be read, and where in it (line 0 when no line applies).</summary>
/// <param name="Message">What is wrong, for a person.</param>
/// <param name="Line">1-based line of the fault (invalid UTF-8), or 0.</param>
/// <param name="Column">1-based column (in bytes of the line), or 0.</param>
public sealed record InputFileFault(string Message, int Line = 0, int Column = 0);

/// <summary>
/// Reads the text files a person hands the program (scenarios, the files they extend, sweep files) with limits, so that
/// a wrong path gives one clear message instead of a hang or an exhausted memory: regular files only (a FIFO would block
/// the open, <c>/dev/zero</c> never ends), at most <see cref="MaxBytes"/>, strict UTF-8 (a byte that is not UTF-8 is
/// reported with its line rather than silently turned into U+FFFD), and no NUL in the path.
/// </summary>
public static partial class InputFiles
{
    /// <summary>Largest scenario or sweep file accepted: 1 MiB, about a hundred times the largest default scenario.</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="path"/> can name a file at all; otherwise why not (NUL or other invalid characters).</summary>
    public static string? CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) return "the path is empty";
        int bad = path.IndexOfAny(Path.GetInvalidPathChars());
        if (bad >= 0) return $"the path contains an invalid character (U+{(int)path[bad]:X4}) at position {bad + 1}";
        return null;
    }

    /// <summary>
    /// Null when <paramref name="path"/> names a regular file of at most <paramref name="maxBytes"/> that can be opened;
    /// otherwise why not, in the same words as <see cref="TryReadText"/>. For binary inputs (Parquet, checkpoints) that
    /// are read by their own decoders: the check comes before any open, so a FIFO cannot block and a device cannot stream.
    /// </summary>
    public static InputFileFault? CheckFile(string path, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (CheckPath(path) is { } invalid) return new InputFileFault(invalid);
        try
        {
            if (Directory.Exists(path)) return new InputFileFault("is a folder, expected a file");
            if (!File.Exists(path)) return new InputFileFault("file not found");
            if (FileType(path) is { } type && type != RegularFile) return new InputFileFault($"is {Describe(type)}, expected a regular file");
            long length = new FileInfo(path).Length;
            if (length > maxBytes) return new InputFileFault($"is {length:N0} bytes; at most {maxBytes:N0} bytes are accepted");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new InputFileFault(e.Message);
        }
    }

    /// <summary>Reads a whole text file within the limits; null text and a fault when it cannot.</summary>
    public static string? TryReadText(string path, out InputFileFault? fault)
    {
        fault = null;
        if (CheckPath(path) is { } invalid)
        {
            fault = new InputFileFault(invalid);
            return null;
        }
        try
        {
            if (Directory.Exists(path))
            {
                fault = new InputFileFault("is a folder, expected a file");
                return null;
            }
            if (!File.Exists(path))
            {
                fault = new InputFileFault("file not found");
                return null;
            }
            if (FileType(path) is { } type && type != RegularFile)
            {
                fault = new InputFileFault($"is {Describe(type)}, expected a regular file");
                return null;
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            // The length is checked again while reading: a file can grow, and some files report no length.
            if (stream.CanSeek && stream.Length > MaxBytes)
            {
                fault = TooLarge(stream.Length);
                return null;
            }
            var buffer = new byte[MaxBytes + 1];
            int total = 0, n;
            while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total > MaxBytes)
            {
                fault = TooLarge(null);
                return null;
            }
            return Decode(buffer.AsSpan(0, total), out fault);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fault = new InputFileFault(e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message);
            return null;
        }
    }

    /// <summary>Strict UTF-8 (a leading byte-order mark is dropped); the first invalid byte is reported by line and column.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, out InputFileFault? fault)
    {
        fault = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return StrictUtf8.GetString(bytes);
        int offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done) break;
            offset += consumed;
        }
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset; i++)
            if (bytes[i] == (byte)'\n') { line++; lineStart = i + 1; }
        fault = new InputFileFault($"invalid UTF-8: byte 0x{bytes[offset]:X2} is not valid text (save the file as UTF-8)", line, offset - lineStart + 1);
        return null;
    }

    private static InputFileFault TooLarge(long? length) =>
        new(length is { } l
            ? $"is {l:N0} bytes; at most {MaxBytes:N0} bytes (1 MiB) are accepted"
            : $"is larger than {MaxBytes:N0} bytes (1 MiB), the most accepted");

    private const int RegularFile = 0x8000;

    private static string Describe(int type) => type switch
    {
        0x1000 => "a named pipe (FIFO)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        0x4000 => "a folder",
        _ => "not a regular file",
    };

    /// <summary>
    /// The file type bits (<c>S_IFMT</c>) of <paramref name="path"/>, following links; null where they cannot be had.
    /// .NET reports devices and FIFOs as ordinary files, and merely opening a FIFO blocks, so Linux's <c>statx</c>
    /// (whose layout, unlike <c>stat</c>'s, is the same on every architecture) is asked before the file is opened.
    /// </summary>
    private static unsafe int? FileType(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int AtFdCwd = -100;
        const uint StatxType = 0x1;
        byte* buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        ushort mode = *(ushort*)(buffer + 28);   // struct statx: stx_mode follows mask, blksize, attributes, nlink, uid, gid
        return mode & 0xF000;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
}
