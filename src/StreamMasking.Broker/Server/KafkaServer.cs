using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;

namespace StreamMasking.Broker.Server;

/// <summary>The TCP listener: accepts connections and runs one <see cref="KafkaConnection"/> per socket.</summary>
internal sealed class KafkaServer : IAsyncDisposable
{
    private readonly BrokerContext _broker;
    private readonly ApiRegistry _registry;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _connections = [];
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _nextConnectionId;

    public KafkaServer(BrokerContext broker, ApiRegistry registry)
    {
        _broker = broker;
        _registry = registry;
        _logger = broker.LoggerFactory.CreateLogger("StreamMasking.Broker");
    }

    /// <summary>Binds the listener and returns the bound port.</summary>
    public int Bind()
    {
        var host = _broker.Options.Host;
        var address = IPAddress.TryParse(host, out var ip) ? ip
            : Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        _listener = new TcpListener(address, _broker.Options.Port);
        _listener.Start(512);
        return ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public void StartAccepting() => _acceptLoop = AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var connection = new KafkaConnection(Interlocked.Increment(ref _nextConnectionId), socket, _broker, _registry, _logger, _stop.Token);
            var task = Task.Run(connection.RunAsync);
            lock (_lock)
            {
                _connections.Add(task);
            }

            _ = task.ContinueWith(
                t =>
                {
                    lock (_lock)
                    {
                        _connections.Remove(t);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Stops accepting, closes every connection and waits for their loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        _broker.Faults.DropConnections();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        Task[] remaining;
        lock (_lock)
        {
            remaining = [.. _connections];
        }

        await Task.WhenAll(remaining).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
