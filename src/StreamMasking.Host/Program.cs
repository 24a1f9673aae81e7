using System.CommandLine;
using StreamMasking.Host.Commands;

// Ctrl-C / SIGTERM cancel the command's token; the pipeline then commits or aborts its open transactions,
// which can take longer than System.CommandLine's default 2 s grace period.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
return await CliFactory.Create().Parse(args).InvokeAsync(invocation);
