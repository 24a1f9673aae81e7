using Confluent.Kafka;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>The loop's error policy, written once: retry, abort and rewind, or stop (fatal or fenced).</summary>
internal sealed partial class TransactionalLoop
{
    /// <summary>
    /// Runs a Kafka call under the error policy. Retriable errors retry the same call (librdkafka allows retrying
    /// SendOffsetsToTransaction and CommitTransaction after a retriable error); abortable errors call
    /// <paramref name="onAbort"/> (or stop when the call has no abort path); fenced and fatal errors stop the stage.
    /// </summary>
    private void Attempt(string operation, Action action, Action? onAbort)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                action();
                return;
            }
            catch (KafkaException e)
            {
                var decision = KafkaErrorPolicy.Classify(e);
                if (decision == KafkaErrorAction.Retry && attempt < MaxOperationAttempts)
                {
                    _logger.KafkaRetriable(_settings.LoopName, operation, e.Error.Code.ToString(), e.Error.Reason);
                    Thread.Sleep(_settings.RetryBackoff);
                    continue;
                }

                if (decision is KafkaErrorAction.Retry or KafkaErrorAction.Abort && onAbort is not null)
                {
                    _logger.KafkaRetriable(_settings.LoopName, operation, e.Error.Code.ToString(), e.Error.Reason);
                    onAbort();
                    return;
                }

                throw Stop(operation, e, decision);
            }
        }
    }

    /// <summary>A produce inside the open transaction failed.</summary>
    private void HandleTransactionError(string operation, KafkaException e)
    {
        var decision = KafkaErrorPolicy.Classify(e);
        if (decision is KafkaErrorAction.Fenced or KafkaErrorAction.Fatal)
        {
            throw Stop(operation, e, decision);
        }

        _logger.KafkaRetriable(_settings.LoopName, operation, e.Error.Code.ToString(), e.Error.Reason);
        AbortAndRewind(operation + " failed", rewind: true);
    }

    private void HandleConsumeError(Error error)
    {
        var decision = KafkaErrorPolicy.ClassifyConsume(error);
        if (decision == KafkaErrorAction.Retry)
        {
            _logger.ConsumeError(_settings.LoopName, error.Code.ToString(), error.Reason);
            return;
        }

        throw Stop("Consume", new KafkaException(error), decision);
    }

    private StageStoppedException Stop(string operation, KafkaException e, KafkaErrorAction decision)
    {
        var fenced = decision == KafkaErrorAction.Fenced;
        if (fenced)
        {
            _logger.Fenced(_settings.LoopName, operation, _settings.TransactionalId);
        }
        else
        {
            _logger.KafkaFatal(_settings.LoopName, operation, e.Error.Code.ToString(), e.Error.Reason);
        }

        return new StageStoppedException(
            $"Stage '{_settings.LoopName}' stopped in {operation}: {e.Error.Code} {e.Error.Reason}", fenced, e);
    }

    private void TryAbortQuietly()
    {
        if (!_inTransaction)
        {
            return;
        }

        try
        {
            _producer?.AbortTransaction(_settings.OperationTimeout);
        }
        catch (KafkaException)
        {
            // A fenced or failed producer cannot abort; the broker aborts the transaction on fencing or timeout.
        }

        _counters.Observer?.OnAborted(_settings.Name, _tally);
        _counters.CountAbort();
        ResetTransaction();
    }

    private static void CloseQuietly(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Close();
        }
        catch (KafkaException)
        {
            // Leaving the group is best effort; the session timeout removes us otherwise.
        }
        catch (StageStoppedException)
        {
            // The revoke callback's commit failed during close; the transaction is aborted by the broker.
        }
    }
}
