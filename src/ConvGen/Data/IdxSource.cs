using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ConvGen.Data;

/// <summary>
/// The bytes of one IDX file for <see cref="IdxReader"/>: raw, or gunzipped when the data starts
/// with the gzip magic 1f 8b. For a raw seekable stream the length of the data is known before
/// reading it; for gzip (or a stream that cannot seek) it is not, and the gzip trailer's size
/// field is not trusted either (anyone can write it), so <see cref="ReadGrowing"/> grows its
/// buffer with the data as it arrives.
/// </summary>
internal sealed class IdxSource : IDisposable
{
    /// <summary>First buffer for data of unknown length; doubled as data arrives.</summary>
    internal const int FirstChunk = 1 << 20;

    /// <summary>Extra bytes after the data are counted up to this many (a gzip bomb of trailing zeros must not take minutes).</summary>
    internal const long TrailingCountLimit = 1 << 20;

    private readonly Stream _data;
    private TailStream? _tail;
    private readonly bool _ownsData;
    private long _position;

    private IdxSource(Stream data, bool ownsData, string name, long? length)
    {
        _data = data;
        _ownsData = ownsData;
        Name = name;
        Length = length;
    }

    /// <summary>The file name (or caller's name for the stream) that messages name.</summary>
    public string Name { get; }

    /// <summary>Bytes of the (raw) data in all, when known without reading it.</summary>
    public long? Length { get; }

    /// <summary>Bytes not yet read, when the length is known.</summary>
    public long? Remaining => Length - _position;

    /// <summary>Wraps <paramref name="stream"/> (left open), gunzipping when it starts with 1f 8b.</summary>
    public static IdxSource Open(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }
        var magic = new byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        bool gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        Stream raw;
        if (stream.CanSeek)
        {
            stream.Seek(-read, SeekOrigin.Current);
            raw = stream;
        }
        else
        {
            raw = new PrefixedStream(magic.AsMemory(0, read), stream);
        }
        if (gzip)
        {
            var tail = new TailStream(raw);
            return new IdxSource(new GZipStream(tail, CompressionMode.Decompress, leaveOpen: true), ownsData: true, name, length: null) { _tail = tail };
        }
        long? length = stream.CanSeek ? stream.Length - stream.Position : null;
        return new IdxSource(raw, ownsData: raw != stream, name, length);
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the data goes; returns the bytes read.</summary>
    public int ReadAll(Span<byte> buffer)
    {
        int total = 0;
        int n;
        while (total < buffer.Length && (n = ReadSome(buffer.Slice(total))) > 0)
        {
            total += n;
        }
        return total;
    }

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes; the result is shorter when the data ends
    /// first. With the length unknown, memory grows with the data read, not with the request.
    /// </summary>
    public byte[] ReadGrowing(int length)
    {
        if (Remaining is not null)
        {
            var exact = new byte[length];
            int got = ReadAll(exact);
            return got == length ? exact : exact.AsSpan(0, got).ToArray();
        }
        var buffer = new byte[Math.Min(length, FirstChunk)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled == length)
                {
                    return buffer;
                }
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            }
            int n = ReadSome(buffer.AsSpan(filled));
            if (n == 0)
            {
                return buffer.AsSpan(0, filled).ToArray();
            }
            filled += n;
        }
    }

    /// <summary>
    /// After all the data was read: for gzip, checks the trailer's size field (the size modulo
    /// 2^32) against the bytes decompressed. The decompressor itself does not notice a file cut
    /// inside the 8-byte trailer, or one whose deflate data simply stops; only this check does.
    /// </summary>
    public void CheckComplete()
    {
        if (_tail is null)
        {
            return;
        }
        byte[]? trailer = _tail.Tail;
        uint? size = trailer is null ? null : BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
        if (size != (uint)_position)
        {
            string found = size is null ? "it is too short for a gzip trailer" : $"its trailer gives {size} (gzip field ISIZE, the size modulo 2^32)";
            throw new DataFileException(Name, $"the gzip data is cut short or damaged: {_position} bytes were decompressed but {found}. A gzip file must be one complete gzip member.");
        }
    }

    /// <summary>Counts the bytes left, stopping at <see cref="TrailingCountLimit"/>.</summary>
    public long CountRest()
    {
        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        int n;
        while (extra < TrailingCountLimit && (n = ReadSome(scratch)) > 0)
        {
            extra += n;
        }
        return extra;
    }

    private int ReadSome(Span<byte> buffer)
    {
        try
        {
            int n = _data.Read(buffer);
            _position += n;
            return n;
        }
        catch (InvalidDataException e)
        {
            // GZipStream reports corrupt compressed data without naming the file.
            throw new DataFileException(Name, $"the gzip data is corrupt: {e.Message}", inner: e);
        }
    }

    public void Dispose()
    {
        if (_ownsData)
        {
            _data.Dispose();
        }
    }

    /// <summary>Passes the compressed bytes through and keeps the last 8 (the gzip trailer: CRC-32 and ISIZE, little-endian).</summary>
    private sealed class TailStream(Stream inner) : Stream
    {
        private readonly byte[] _last = new byte[8];
        private long _total;

        /// <summary>The last 8 bytes read, or null when fewer passed.</summary>
        public byte[]? Tail => _total >= 8 ? _last : null;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            var read = buffer.Slice(0, n);
            if (n >= 8)
            {
                read.Slice(n - 8).CopyTo(_last);
            }
            else if (n > 0)
            {
                _last.AsSpan(n).CopyTo(_last); // shift left by n
                read.CopyTo(_last.AsSpan(8 - n));
            }
            _total += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A non-seekable stream with the bytes already read to sniff the gzip magic put back in front.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }
            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span.Slice(0, n).CopyTo(buffer);
            _prefix = _prefix.Slice(n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
