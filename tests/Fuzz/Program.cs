using CapMap.Fuzz;
using SharpFuzz;

// Usage:
//   CapMap.Fuzz <target>                  the AFL++ fork-server loop (started by afl-fuzz; build.ps1 -Task Fuzz)
//   CapMap.Fuzz <target> --replay <file>... runs each file once, in process; exit code 1 if any escaped
// <target>: reader, framing or schema (see FuzzTargets).
if (args.Length < 1 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: CapMap.Fuzz <{string.Join("|", FuzzTargets.Names)}> [--replay <file>...]");
    return 2;
}
string target = args[0];
string schemaFile = Path.Combine(AppContext.BaseDirectory, "Schemas", "interop.capnp.bin");

if (args.Length > 1 && args[1] == "--replay")
{
    // Run the replay from an uninstrumented build: instrumented code writes AFL's trace map, which exists only under afl-fuzz.
    var targets = FuzzTargets.FromSchemaFile(schemaFile);
    int escaped = 0;
    foreach (string file in args.Skip(2))
    {
        try
        {
            bool rejected = targets.Run(target, File.ReadAllBytes(file));
            Console.WriteLine($"{(rejected ? "rejected" : "accepted")}: {file}");
        }
        catch (Exception e)
        {
            escaped++;
            Console.WriteLine($"ESCAPED: {file}: {e}");
        }
    }
    return escaped == 0 ? 0 : 1;
}

// Out of process: a stack overflow or a process-killing fault in a case is seen by AFL++ as a crash of that case.
// The schemas load inside the loop, on the first case: instrumented code must not run before the trace map is set up.
FuzzTargets? loaded = null;
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    loaded ??= FuzzTargets.FromSchemaFile(schemaFile);
    loaded.Run(target, buffer.ToArray());
});
return 0;
