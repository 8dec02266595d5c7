#:package SkiaSharp@3.119.4
#:package SkiaSharp.NativeAssets.Linux.NoDependencies@3.119.4
using SkiaSharp;

// ConvGen's package icon, 128x128: a 5x5 input grid with a highlighted 3x3 kernel window
// and the single output cell it produces, the picture of one convolution step.
const int Size = 128;
using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
using var canvas = new SKCanvas(bitmap);
canvas.Clear(SKColors.Transparent);
using var background = new SKPaint { Color = new SKColor(0x1F, 0x3A, 0x5F), IsAntialias = true };
canvas.DrawRoundRect(new SKRect(0, 0, Size, Size), 22, 22, background);
using var cell = new SKPaint { Color = new SKColor(0x5B, 0x8D, 0xC9), IsAntialias = true };
using var kernel = new SKPaint { Color = new SKColor(0xF2, 0xB1, 0x34), IsAntialias = true };
using var output = new SKPaint { Color = new SKColor(0xF2, 0xB1, 0x34), IsAntialias = true };
using var line = new SKPaint { Color = new SKColor(0xF2, 0xB1, 0x34, 0xC0), IsAntialias = true, StrokeWidth = 3, Style = SKPaintStyle.Stroke };
const float Left = 14, Top = 24, Step = 15, Box = 12.5f;
for (int row = 0; row < 5; row++)
{
    for (int column = 0; column < 5; column++)
    {
        bool inWindow = row < 3 && column < 3;
        canvas.DrawRoundRect(SKRect.Create(Left + column * Step, Top + row * Step, Box, Box), 2, 2, inWindow ? kernel : cell);
    }
}
var target = SKRect.Create(96, 40, 20, 20);
canvas.DrawLine(Left + 3 * Step - 1, Top + 1.5f * Step, target.Left - 3, target.MidY, line);
canvas.DrawRoundRect(target, 3, 3, output);
using var stream = File.Create("icon.png");
bitmap.Encode(stream, SKEncodedImageFormat.Png, 100);
