using System.Buffers.Binary;
using SkiaSharp;

namespace MarketSim.Charts.Tests;

/// <summary>Reads what the tests check in a PNG: the signature and IHDR by hand (independent of the encoder), pixels through SkiaSharp.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) ReadHeader(string path)
    {
        byte[] head = new byte[33];
        using (var stream = File.OpenRead(path))
        {
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            Assert.True(read == head.Length, $"{path} is shorter than a PNG header");
        }
        Assert.True(head.AsSpan(0, 8).SequenceEqual(Signature), $"{path} does not start with the PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(head, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(20, 4));
        return (width, height);
    }

    public static SKBitmap Decode(string path) =>
        SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} could not be decoded");

    /// <summary>Pixels in the rectangle within <paramref name="tolerance"/> of the colour on every channel.</summary>
    public static int CountNear(SKBitmap bitmap, SKColor color, int tolerance, int top = 0, int bottom = int.MaxValue)
    {
        int count = 0;
        for (int y = top; y < Math.Min(bottom, bitmap.Height); y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - color.Red) <= tolerance && Math.Abs(c.Green - color.Green) <= tolerance && Math.Abs(c.Blue - color.Blue) <= tolerance)
                    count++;
            }
        return count;
    }

    /// <summary>Pixels darker than mid-grey in rows [top, bottom): text on the white title band.</summary>
    public static int CountDark(SKBitmap bitmap, int top, int bottom)
    {
        int count = 0;
        for (int y = top; y < Math.Min(bottom, bitmap.Height); y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 100) count++;
            }
        return count;
    }
}
