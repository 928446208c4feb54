using System.Net;
using System.Text.Json;
using IntegrationHealth.Engine.Auth;

namespace IntegrationHealth.Engine.Tests.Proxy;

[CollectionDefinition(nameof(ProxyStreamingMemoryTests), DisableParallelization = true)]
public sealed class ProxyMemoryCollection;

/// <summary>
/// 50 MB each way through the proxy, with the process's allocations counted: a proxy that buffered a body whole would
/// allocate at least its size. Alone in its collection, so other tests' allocations do not count.
/// </summary>
[Collection(nameof(ProxyStreamingMemoryTests))]
public sealed class ProxyStreamingMemoryTests : IAsyncLifetime
{
    private const long Size = 50L * 1024 * 1024;
    private readonly EchoDouble _upstream = new();
    private ProxyHost _proxy = null!;

    public async Task InitializeAsync()
    {
        await _upstream.StartAsync();
        _proxy = await ProxyHost.StartAsync(new Dictionary<string, string?> { ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.1/32" });
        await _proxy.ConnectAsync(ProxyDefinitions.Bearer($"http://127.0.0.1:{_upstream.Origin.Port}/base"), ConnectionCredentials.Of(("token", "t")));
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Forward_50MegabytesEachWay_StreamsWithBoundedAllocation()
    {
        using var client = _proxy.Client();
        using (await client.GetAsync("/p/download?bytes=1024")) { } // warm up connections and code paths
        var before = GC.GetTotalAllocatedBytes(precise: true);

        using var download = await client.GetAsync($"/p/download?bytes={Size}", HttpCompletionOption.ResponseHeadersRead);
        await using (var body = await download.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0) total += read;
            Assert.Equal(Size, total);
        }
        var chunk = new byte[81920];
        using var upload = await client.PostAsync("/p/upload", new StreamContent(new RepeatingStream(chunk, Size)));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(Size, JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("bytes").GetInt64());

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < Size / 2, $"{allocated / 1024 / 1024} MB allocated to move 2 x 50 MB");
    }

    /// <summary>A read-only stream of <paramref name="length"/> bytes from one reused buffer.</summary>
    private sealed class RepeatingStream(byte[] chunk, long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(Math.Min(count, chunk.Length), length - _position);
            Array.Copy(chunk, 0, buffer, offset, n);
            _position += n;
            return n;
        }
    }
}
