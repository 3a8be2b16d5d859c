# Help text for every CapMap cmdlet. tools/New-CapMapHelp.ps1 combines it with the parameter metadata of the
# built module (types, positions, pipeline input, aliases) into the MAML file
# src/CapMap.PowerShell/en-US/CapMap.PowerShell.dll-Help.xml. Every non-common parameter needs a description here:
# the generator fails otherwise, and tests/Pester/HelpAndCompletion.Tests.ps1 checks the result.

$pathWild = 'Path of the file(s). Wildcards are expanded; a pattern that matches nothing is a PathNotFound error.'
$literal = 'Path of the file(s), taken exactly as written (no wildcard expansion). Alias: PSPath, so Get-ChildItem output binds to it.'
$newPath = 'Path of the file to create. Relative paths are relative to the current PowerShell location.'
$newLiteral = 'Path of the file to create, taken exactly as written.'
$schema = 'The schema: the object Import-CapnpSchema returns, or the path of a .capnp file (compiled with capnp) or of a precompiled CodeGeneratorRequest.'
$rootType = 'Name of the root struct (Batch, or Outer.Inner for a nested struct). Tab completion offers the structs of -Schema, likely roots first.'
$property = 'Values for root fields other than the streamed list, as a hashtable or an object (@{ source = ''ops''; createdUnix = 1700000000 }). A List(Struct) field is not allowed here: stream it instead.'
$reserve = 'Address space reserved for the file, in bytes: the largest message it can hold. It costs no memory or disk. Default 64 GiB.'
$growth = 'How the file grows. Fault (default): writes past the end raise SIGBUS and the native handler extends the file. Eager: the writer extends the file ahead of use, so a full disk surfaces as an exception at a known point.'
$strict = 'Reject input objects that have properties the struct does not have (at every nesting level). Without it, extra properties are ignored.'
$whatIf = 'Shows what would happen without doing it: no file is created or changed.'
$append = 'Writes the new message after the messages the file already holds (a stream of messages, which every reader of the standard framing reads; the earlier messages stay byte for byte); a missing file is created. Without -Schema the schema is inferred from the new objects (their own sample) and the new message carries it: the same schema as the file''s last message when the shape is the same, their own when it differs (each message carries its own schema; -Verbose tells when it differs). A file whose last message carries a schema a user wrote is appended to under that schema. A -Schema whose root struct does not match the file''s (id and layout) is refused (SchemaMismatch) unless -Force. A refused append leaves the file byte for byte as it was, including one whose every record failed to convert (no empty message is left).'
$confirm = 'Asks for confirmation before changing anything.'
$message = 'The open message New-CapnpMappedMessage returned.'

@{
    'Import-CapnpSchema' = @{
        Synopsis    = 'Loads a Cap''n Proto schema from a .capnp file or a precompiled CodeGeneratorRequest.'
        Description = @(
            'Import-CapnpSchema returns a CapnpSchema object to pass to -Schema of the other cmdlets. A .capnp file is compiled with the reference compiler (capnp compile -o-; install it with ''apt-get install capnproto'' or point the CAPNP environment variable at it). A precompiled CodeGeneratorRequest (the output of capnp compile -o-, usually named .bin or .capnp.bin) is read directly and needs no compiler; other names are recognised by content.'
            'The object lists the structs and enums of the schema''s own files and the root candidates: structs no other struct refers to. -SavePrecompiled writes the compiled request so machines without capnp can load the schema.'
            'Schema files are cached by path, size and time, so passing the same path to -Schema again does not run the compiler again.'
        )
        Parameters  = @{
            Path            = $pathWild
            LiteralPath     = $literal
            ImportPath      = 'Directories searched for imported schemas (passed to capnp compile as -I).'
            SavePrecompiled = 'Also writes the compiled CodeGeneratorRequest to this file. Load it later with Import-CapnpSchema, without capnp. Takes one schema at a time; an existing file needs -Force.'
            Force           = 'Replaces an existing -SavePrecompiled file.'
            WhatIf          = $whatIf
            Confirm         = $confirm
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Paths of schema files, also by property name (Path, PSPath).' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpSchema'; Description = 'The loaded schema: FileName, Source, RootCandidates, Structs, Enums, SchemaSet.' })
        Examples    = @(
            @{ Code = '$schema = Import-CapnpSchema ./ops.capnp
$schema'; Remarks = 'Compiles ops.capnp with capnp and shows its file name, root candidates, structs and enums.' }
            @{ Code = 'Import-CapnpSchema ./ops.capnp -SavePrecompiled ./ops.capnp.bin
Import-CapnpSchema ./ops.capnp.bin'; Remarks = 'Saves the compiled schema next to the source, then loads it again without needing the capnp compiler (for machines that do not have it).' }
            @{ Code = 'Import-CapnpSchema ./app.capnp -ImportPath ./schemas, /usr/include'; Remarks = 'Compiles a schema whose imports live in other directories.' }
        )
        Notes       = 'ErrorIds: CapnpToolNotFound (terminating: the compiler is missing), SchemaCompileFailed, InvalidSchema, PathNotFound, FileExists. See docs/cmdlets.md.'
    }

    'New-CapnpMappedMessage' = @{
        Synopsis    = 'Creates a Cap''n Proto message file that grows on demand and returns the open message.'
        Description = @(
            'New-CapnpMappedMessage creates the file, maps a large range of address space over it and initialises the root struct. The message is built directly in the mapped file: memory use stays flat and the message may be larger than RAM. Add records with Add-CapnpStruct and finish with Complete-CapnpMappedMessage, which writes the segment table and cuts the file to size; the result is an ordinary stream-framed message every Cap''n Proto reader opens.'
            'The returned CapnpMappedMessage is IDisposable. Disposing it without completing keeps every record added so far: a final checkpoint is written and the file is a valid message (Get-CapnpMessageInfo shows State Checkpoint).'
            'Without -Schema, the message waits for its first Add-CapnpStruct (AwaitsSchema is true): that call''s first -SampleSize records are held back, the schema is inferred from them (root -RootType, default Batch, with one list, records), the file is created and every record written. Complete-, Save- or Close-CapnpMappedMessage before any record create the file with an empty schema.'
            'An existing file is refused (FileExists) unless -Force is given; the check happens before -WhatIf/-Confirm, and the file is left untouched. With -WhatIf nothing is created. Bad -Property values are found before the file is created.'
        )
        Parameters  = @{
            Path        = $newPath
            LiteralPath = $newLiteral
            Schema      = $schema + ' Without it the file is created at the first Add-CapnpStruct, with a schema inferred from the records that call brings (its first -SampleSize ones).'
            RootType    = $rootType + ' Without -Schema: the name of the inferred root struct (default Batch).'
            Depth       = 'Without -Schema: levels of nested objects kept as structs (default 1, at most 100 as in ConvertTo-Json; lists do not count); values nested deeper are written as their strings, with one warning naming every cut property path. A nested object keeps its .NET, note, alias and code properties but not its script properties (PowerShell type data that runs a script per object); the record''s own script properties are kept.'
            SampleSize  = 'Without -Schema: how many records of the first Add-CapnpStruct (default 1000) are looked at before the schema is fixed.'
            Append      = $append
            Property    = $property
            Reserve     = $reserve
            Growth      = $growth
            Strict      = 'Reject -Property entries the root struct does not have.'
            Force       = 'Replaces an existing file (unless another writer has it open: FileLocked). A symbolic link at the path is replaced itself, by the new file: -Force never writes through a link into the file it names.'
            WhatIf      = $whatIf
            Confirm     = $confirm
        }
        Inputs      = @(@{ Type = 'None'; Description = 'This cmdlet takes no pipeline input.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'The open message: Path, RootType, State, RecordCount, UsedBytes, CommittedBytes, SegmentCount, FaultCount.' })
        Examples    = @(
            @{ Code = '$m = New-CapnpMappedMessage -Path ./ops.bin -Schema ./ops.capnp -RootType Batch -Property @{ source = ''csv''; createdUnix = 1700000000 }
Import-Csv ./ops.csv | Add-CapnpStruct -Message $m
Complete-CapnpMappedMessage $m'; Remarks = 'Creates ops.bin with root fields set, streams the CSV rows into the root''s records list, and finishes the file.' }
            @{ Code = 'New-CapnpMappedMessage ./ps.bin -Schema $schema -RootType Batch -Force |
    Add-CapnpStruct -Value (Get-Process | Select-Object @{n=''pid'';e={$_.Id}}, @{n=''name'';e={$_.ProcessName}}) -PassThru |
    Complete-CapnpMappedMessage'; Remarks = 'One pipeline: create (replacing an old file), add the current processes, complete. The summary shows bytes, segments and records.' }
        )
        Notes       = 'ErrorIds: SchemaMismatch, FileExists, FileLocked, PathIsDirectory, PathNotFound, RootTypeNotFound, RootTypeAmbiguous, InvalidSchema, SchemaRequired, PropertyConversionFailed, CapnpToolNotFound. See docs/cmdlets.md.'
    }

    'Add-CapnpStruct' = @{
        Synopsis    = 'Writes objects into an open message: appends them to a List(Struct) field or sets a struct field.'
        Description = @(
            'Add-CapnpStruct converts each object into a struct of the schema and writes it straight into the mapped file. Properties are matched to fields by name, case-insensitively; strings from Import-Csv are parsed (numbers in invariant culture, enums by name, Bool as true/false/1/0/yes/no, Data as base64); nested objects or hashtables fill struct and group fields; lists fill List fields; of a union, the one member whose property is present is written.'
            'Two forms: objects from the pipeline with the message in -Message (Import-Csv x.csv | Add-CapnpStruct -Message $m), or the message from the pipeline with the objects in -Value ($m | Add-CapnpStruct -Value $items -PassThru | Complete-CapnpMappedMessage).'
            '-Field is a path into the root (dotted for nested structs, e.g. detail.samples). By default it is the root''s only List(Struct) field. A List(Struct) target receives one element per object; a struct or group target is set (the last object wins). A message streams one list at a time: moving to another list closes the previous one, which cannot be reopened (ListAlreadyCompleted).'
            'A record that cannot be converted is reported as a non-terminating RecordConversionFailed error (category InvalidData) naming the record''s index, the field and the value; that record is not written and the records before it stay intact. Stopped with Ctrl+C, the records added so far are checkpointed and the message stays usable.'
        )
        Parameters  = @{
            Message     = $message + ' In the -Value form it comes from the pipeline.'
            InputObject = 'The objects to write, from the pipeline: PSCustomObjects, hashtables or any .NET objects.'
            Value       = 'The objects to write when the message comes from the pipeline.'
            Field       = 'Where to write: a List(Struct) field (records are appended) or a struct or group field (it is set), as a dotted path from the root. Default: the root''s only List(Struct) field. Tab completion lists the choices.'
            Strict      = $strict
            PassThru    = 'Outputs the message after writing, for piping on to Complete-CapnpMappedMessage.'
            WhatIf      = $whatIf
            Confirm     = $confirm
        }
        Inputs      = @(
            @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects to write (-InputObject).' }
            @{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'The message, in the -Value form.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'With -PassThru, the message.' })
        Examples    = @(
            @{ Code = 'Import-Csv ./ops.csv | Add-CapnpStruct -Message $m -Field records'; Remarks = 'Streams the CSV rows into the records list; malformed rows are reported and skipped.' }
            @{ Code = '$m | Add-CapnpStruct -Field records -Value $items -PassThru | Complete-CapnpMappedMessage'; Remarks = 'The message comes from the pipeline and the objects from -Value; -PassThru hands the message on to be completed.' }
            @{ Code = '@{ note = ''nightly'' } | Add-CapnpStruct -Message $m -Field detail
Get-Content ./samples.json | ConvertFrom-Json | Add-CapnpStruct -Message $m -Field detail.samples -Strict'; Remarks = 'Sets the struct field detail, then streams objects into the nested list detail.samples, rejecting unknown properties.' }
        )
        Notes       = 'ErrorIds: RecordConversionFailed and RecordTooLarge (non-terminating, per record), FieldNotFound, FieldRequired, FieldTypeNotSupported, ListAlreadyCompleted, FieldOrderNotSupported, MessageClosed, MessageFailed, CapacityExceeded. See docs/cmdlets.md.'
    }

    'Complete-CapnpMappedMessage' = @{
        Synopsis    = 'Finishes an open message: writes the segment table, cuts the file to size and flushes it.'
        Description = @(
            'Complete-CapnpMappedMessage closes the open lists, closes the gaps streaming left between segments (collapse-range where the file system supports it), writes the segment table and root pointer, truncates the file to the bytes used and, unless -NoFlush is given, msyncs and fsyncs it. The file is then an ordinary Cap''n Proto stream message.'
            'It outputs a summary: the file (FileInfo), bytes, segments, records, SIGBUS faults served, growth mode and the time the finish took.'
        )
        Parameters  = @{
            Message = $message
            NoFlush = 'Skips msync/fsync at the end: faster, and the data reaches the disk when the kernel writes it back.'
            WhatIf  = $whatIf
            Confirm = $confirm
        }
        Inputs      = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'The message to complete.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMessageSummary'; Description = 'Path, File, Bytes, SegmentCount, SegmentWords, RecordCount, FaultCount, Growth, Gaps, FinishTime, CompletedAt.' })
        Examples    = @(
            @{ Code = '$summary = Complete-CapnpMappedMessage -Message $m
$summary.File.Length'; Remarks = 'Finishes the message and shows the size of the finished file.' }
            @{ Code = 'New-CapnpMappedMessage ./out.bin -Schema $schema -RootType Batch | Add-CapnpStruct -Value $rows -PassThru | Complete-CapnpMappedMessage -NoFlush'; Remarks = 'Completes at the end of a pipeline without waiting for the data to reach the disk.' }
        )
        Notes       = 'ErrorIds: MessageClosed (already complete or disposed), MessageFailed. See docs/cmdlets.md.'
    }

    'Save-CapnpMappedMessage' = @{
        Synopsis    = 'Writes a checkpoint of an open message: the file becomes a valid message of everything added so far.'
        Description = @(
            'Save-CapnpMappedMessage commits the open list, writes the segment table and a checkpoint record, and flushes data and header to disk, while building continues. If the process is killed afterwards, Repair-CapnpMappedMessage restores the file to this checkpoint.'
            'A checkpointed file still has slack: holes of the streaming list inside the message (declared as padding) and bytes after it; readers ignore both, and Resize-CapnpMappedMessage or Repair-CapnpMappedMessage cuts the file down to its data.'
        )
        Parameters  = @{
            Message  = $message
            PassThru = 'Outputs the message after the checkpoint.'
            WhatIf   = $whatIf
            Confirm  = $confirm
        }
        Inputs      = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'The message to checkpoint.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'With -PassThru, the message.' })
        Examples    = @(
            @{ Code = 'Get-Content ./huge.jsonl | ForEach-Object { $_ | ConvertFrom-Json } | Add-CapnpStruct -Message $m
Save-CapnpMappedMessage $m -Verbose'; Remarks = 'Makes everything added so far durable; -Verbose shows the checkpoint''s sequence, record count and size.' }
            @{ Code = 'foreach ($chunk in $chunks) { $chunk | Add-CapnpStruct -Message $m; $m | Save-CapnpMappedMessage }'; Remarks = 'Checkpoints after every chunk, so a crash loses at most one chunk.' }
        )
        Notes       = 'ErrorIds: MessageClosed, MessageFailed. See docs/cmdlets.md.'
    }

    'Get-CapnpMappedMessage' = @{
        Synopsis    = 'Lists the messages this session has open.'
        Description = @(
            'Get-CapnpMappedMessage outputs every message New-CapnpMappedMessage created in this process that is not yet completed or closed (including failed ones, which still hold their file until they are closed). It finds a message whose variable was overwritten or lost, so it can be closed and its file unlocked.'
            'The list holds messages weakly: a message nobody references any more is released when .NET collects it (its file keeps its last checkpoint and its lock is dropped), and then no longer appears.'
        )
        Parameters  = @{
            Path = 'Only messages whose file path matches (wildcards allowed; relative paths are relative to the current location).'
        }
        Inputs      = @(@{ Type = 'None'; Description = 'Takes no pipeline input.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'The open messages, oldest first.' })
        Examples    = @(
            @{ Code = 'Get-CapnpMappedMessage'; Remarks = 'Shows every open message: path, state, records and bytes used.' }
            @{ Code = 'Get-CapnpMappedMessage ./spool/*.bin | Close-CapnpMappedMessage'; Remarks = 'Checkpoints and closes the open messages of the spool directory.' }
        )
        Notes       = 'See docs/cmdlets.md.'
    }

    'Close-CapnpMappedMessage' = @{
        Synopsis    = 'Checkpoints an open message and closes it, releasing its file.'
        Description = @(
            'Close-CapnpMappedMessage writes a flushed checkpoint (as Save-CapnpMappedMessage does) and closes the message: the file keeps every record added, as a checkpoint that every Cap''n Proto reader can read, and its lock is released so other writers can open it. Complete-CapnpMappedMessage is the way to finish a message; Close is the way to stop without finishing.'
            'A failed message (disk full, size limit) cannot checkpoint: MessageFailed is reported and the message is closed at its last checkpoint. A message that is already completed or closed is left as it is.'
        )
        Parameters  = @{
            Message  = 'The message to close: what New-CapnpMappedMessage or Get-CapnpMappedMessage returned.'
            PassThru = 'Outputs the message after closing it (its State is then Closed).'
            WhatIf   = $whatIf
            Confirm  = $confirm
        }
        Inputs      = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'The messages to close.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMappedMessage'; Description = 'With -PassThru, the message.' })
        Examples    = @(
            @{ Code = 'Close-CapnpMappedMessage $m'; Remarks = 'Keeps everything added to $m and unlocks its file.' }
            @{ Code = 'Get-CapnpMappedMessage | Close-CapnpMappedMessage'; Remarks = 'Closes every message this session still has open.' }
        )
        Notes       = 'ErrorIds: MessageFailed. See docs/cmdlets.md.'
    }

    'Repair-CapnpMappedMessage' = @{
        Synopsis    = 'Restores a message file to its last checkpoint after a crash, a kill or a failed write.'
        Description = @(
            'Repair-CapnpMappedMessage reads the newest intact checkpoint record of a CapMap file, rewrites the segment table, root pointer and list counts from it, and cuts the file to the bytes the checkpoint covered. Records added after that checkpoint are dropped; everything before it is readable again by any Cap''n Proto reader.'
            'A file that another writer still has open is refused (FileLocked). A file without a CapMap checkpoint record (written by another tool, or killed before its first checkpoint) cannot be repaired (RepairFailed) and is left as it is.'
            'Before it changes anything, Repair walks the message it is about to restore with the bounds-checked reader; when the data the checkpoint names is not intact it stops with CheckpointDataDamaged and leaves the file exactly as it found it. A writer killed while finishing (closing a gap) leaves the move announced in its record: Repair tells whether it happened, finishes a journaled copy, and restores the matching layout. Messages that follow a completed one (a stream of several) are kept.'
            'A restored checkpoint is then cut down to its data, as completing a message would cut it: the holes a stopped or killed writer''s streaming list leaves (up to about 60 MiB of apparent size on ext4 and XFS, declared as padding) are closed, small ones by copying what follows them down, large ones with collapse-range, each step announced in the checkpoint record so that a kill during the repair is repaired the same way. BytesBefore and BytesAfter are the file''s length before and after; Gaps says how the holes were closed.'
        )
        Parameters  = @{
            Path        = $pathWild
            LiteralPath = $literal
            WhatIf      = $whatIf
            Confirm     = $confirm
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Paths, also by property name (Path, PSPath).' })
        Outputs     = @(@{ Type = 'CapMap.Messages.RepairResult'; Description = 'Path, State, Sequence, RecordCount, BytesBefore, BytesAfter, BytesRemoved, SegmentCount, Gaps.' })
        Examples    = @(
            @{ Code = 'Repair-CapnpMappedMessage ./ops.bin'; Remarks = 'Restores ops.bin to its last checkpoint and shows how many records it holds.' }
            @{ Code = 'Get-ChildItem ./spool/*.bin | Where-Object { (Get-CapnpMessageInfo $_.FullName).State -ne ''Complete'' } | Repair-CapnpMappedMessage -WhatIf'; Remarks = 'Lists which unfinished files would be restored, without changing them.' }
        )
        Notes       = 'ErrorIds: RepairFailed, CheckpointDataDamaged, FileLocked, PathNotFound, PathIsDirectory, InvalidMessageFile. See docs/cmdlets.md.'
    }

    'Resize-CapnpMappedMessage' = @{
        Synopsis    = 'Cuts a message file down to its messages: the slack after the last one, and the holes of an unfinished one.'
        Description = @(
            'Resize-CapnpMappedMessage truncates a file to the end of its last message, removing the bytes after it: a checkpointed file still at its grown size, or one extended by someone else. A file may hold a stream of several messages (the standard framing that capnp convert, pycapnp''s read_multiple and others read): every one of them is kept, byte for byte. It reports the bytes removed. A file whose last table declares more than the file holds is truncated, not slack, and is refused (ResizeFailed).'
            'A last message CapMap left unfinished (its writer was stopped or killed: state Checkpoint) holds more than slack after it: the holes of its streaming list, up to about 60 MiB of apparent size, declared as padding inside it. Resize cuts such a file down to its data exactly as Repair-CapnpMappedMessage does: it restores the last checkpoint (which a stopped writer''s file already ends at; a killed writer''s records after it are dropped, as the slack they sit in always was) and closes the holes, so three records take a few KiB again. The earlier, completed messages are kept byte for byte, and a checkpoint that cannot be restored is refused (RepairFailed, CheckpointDataDamaged) with the file unchanged.'
            'Cutting deletes bytes, so it asks for confirmation (ConfirmImpact High; pass -Confirm:$false in scripts). A file CapMap did not write is changed only with -Force (NotWrittenByCapMap otherwise).'
        )
        Parameters  = @{
            Path        = $pathWild
            LiteralPath = $literal
            Force       = 'Also cuts a file that CapMap did not write (no message in it carries a CapMap checkpoint record). The messages themselves are still kept.'
            WhatIf      = $whatIf
            Confirm     = $confirm
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Paths, also by property name (Path, PSPath).' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpResizeResult'; Description = 'Path, BytesBefore, BytesAfter, BytesRemoved.' })
        Examples    = @(
            @{ Code = 'Resize-CapnpMappedMessage ./ops.bin'; Remarks = 'Asks, then cuts the slack of ops.bin and shows the bytes removed.' }
            @{ Code = 'Get-ChildItem ./spool -Filter *.bin | Resize-CapnpMappedMessage -Confirm:$false | Measure-Object BytesRemoved -Sum'; Remarks = 'Trims every message file in a folder without asking and totals the space recovered.' }
            @{ Code = 'Resize-CapnpMappedMessage ./from-capnp.bin -Force -Confirm:$false'; Remarks = 'Cuts the zeros after the messages of a file written by another tool.' }
            @{ Code = 'Resize-CapnpMappedMessage ./stopped.bin -Confirm:$false'; Remarks = 'Cuts the file of a writer that was stopped mid-stream (60 MiB apparent for a few records) down to its data.' }
        )
        Notes       = 'ErrorIds: ResizeFailed, NotWrittenByCapMap, RepairFailed, CheckpointDataDamaged, InvalidMessageFile, FileLocked, PathNotFound. See docs/cmdlets.md.'
    }

    'Export-CapnpMessage' = @{
        Synopsis    = 'Writes pipeline objects into a new Cap''n Proto message file in one step, like Export-Csv.'
        Description = @(
            'Export-CapnpMessage creates the file, appends every pipeline object to a List(Struct) field of the root (the root''s only one by default, or -Field) and completes the file when the pipeline ends. Objects are converted as Add-CapnpStruct does; a record that cannot be converted is reported (RecordConversionFailed) and skipped.'
            'It shows progress (records, bytes, rate) every 64Ki records or 250 ms. By default it outputs nothing; -PassThru outputs the finished file. Stopped with Ctrl+C, or by an error upstream, it keeps what came, as Export-Csv keeps its rows: the records received so far (the sample held for an inferred schema included) are written and the message completed, so Import-CapnpMessage reads exactly them with no warning. Only a file that failed (disk full, size limit) is left at its last checkpoint.'
            'An existing file is refused (FileExists) unless -Force is given; -WhatIf creates nothing.'
            'Without -Schema the schema is inferred: the first -SampleSize objects (default 1000) are held back and looked at, then a root struct (-RootType, default Batch) with one list field (-Field, default records) is written with every object in it. Objects are read by the properties PowerShell shows (adapted, alias, script and note properties), hashtables by their keys; a getter that throws reads as null. Nested objects are kept as structs to -Depth (default 1; up to 100, as ConvertTo-Json allows); deeper values are written as their strings, as Export-Csv writes them, and one warning names each property path where that happened, with the records it took ("Values nested deeper than -Depth 2 were written as text: a.b.c (12 records). -Depth 3 keeps them as objects."). A record with more than 100,000 values at -Depth (a FileInfo at -Depth 5 has that many, below its drive and provider) is not written: a non-terminating RecordTooLarge error names it and the greatest -Depth that keeps it within that, and the records around it are written. A record that lacked a property some others had comes back without it (not with a null), and properties few records have are kept as entries of one field (otherProperties), so objects keyed by ids stay one message of linear size. A record keeps the hidden code properties the default views read (FileInfo''s NameString, LengthString and LastWriteTimeString), so imported files print the directory table with their names, as Import-Clixml''s do. A property whose values are of several kinds (42 next to ''x'', numbers and booleans) is a union of the kinds, so each value comes back with its own type, and objects of several .NET types come back each with its own type name. The schema can change within the file: a record after the sample that does not fit it (a property first seen then, a value of another type, a value where the sample had only nulls) ends the message, and the records go on in a next message of the same file under the schema widened by that record, so nothing is rejected or dropped for its shape (-Verbose tells where; Get-CapnpMessageInfo lists the messages). A property that is null in every sampled record has no type yet (Void, read back as null) until its first value. Import-CapnpMessage gives the objects back with their original property names and .NET types. Plain values on their own (numbers, strings, dates, TimeSpans, Guids ...) are records of one field, Value, marked as plain values in the schema: they come back as the values themselves, and a mix of values and objects comes back as records (an object after a sample of plain values goes on in a next message of such records).'
            'Every file carries the schema of its root type (with -Schema as given, or the inferred one) where other Cap''n Proto readers never look: Import-CapnpMessage and Get-CapnpSchema need no -Schema for it.'
        )
        Parameters  = @{
            Path        = $newPath
            LiteralPath = $newLiteral
            InputObject = 'The objects to write, from the pipeline. An array given by name is written element by element. $null is refused as Export-Csv refuses it: -InputObject $null stops the command before any file is created, and a $null in the pipeline is reported (ParameterArgumentValidationErrorNullNotAllowed) and skipped while the other objects are written.'
            Schema      = $schema + ' Without it the schema is inferred from the objects.'
            RootType    = $rootType + ' Without -Schema: the name of the inferred root struct (default Batch).'
            Append      = $append
            Depth       = 'Without -Schema: levels of nested objects kept as structs (default 1, at most 100 as in ConvertTo-Json; lists do not count); values nested deeper are written as their strings, with one warning naming every cut property path. A nested object keeps its .NET, note, alias and code properties but not its script properties (PowerShell type data that runs a script per object); the record''s own script properties are kept.'
            SampleSize  = 'Without -Schema: how many objects (default 1000) are looked at before the schema is fixed.'
            Field       = 'The List(Struct) field the objects are appended to, as a dotted path from the root. Default: the root''s only List(Struct) field. Without -Schema: the name of the inferred list field (default records).'
            Property    = $property
            Reserve     = $reserve
            Growth      = $growth
            Strict      = $strict
            Force       = 'Replaces an existing file. A symbolic link at the path is replaced itself, by the new file: -Force never writes through a link into the file it names (Export-Csv -Force does).'
            NoFlush     = 'Skips msync/fsync at the end.'
            PassThru    = 'Outputs the finished file as a FileInfo.'
            WhatIf      = $whatIf
            Confirm     = $confirm
        }
        Inputs      = @(@{ Type = 'System.Management.Automation.PSObject'; Description = 'The objects to write.' })
        Outputs     = @(@{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, the finished file. Otherwise nothing.' })
        Examples    = @(
            @{ Code = 'Get-Process | Export-CapnpMessage ./procs.bin'; Remarks = 'Writes the process table with a schema inferred from the processes; Import-CapnpMessage ./procs.bin gives them back.' }
            @{ Code = 'Get-Content ./rules.json -Raw | ConvertFrom-Json | Export-CapnpMessage ./rules.bin -Depth 100'; Remarks = 'Keeps a JSON document up to 100 levels deep (without -Depth, objects below the first level are written as text, with a warning naming each cut property path); Import-CapnpMessage ./rules.bin | ConvertTo-Json -Depth 100 gives the same text as the document''s.' }
            @{ Code = 'Get-Process | Export-CapnpMessage ./procs.bin -Append'; Remarks = 'Adds another snapshot as a second message of the same file (it carries the same schema, the shape being the same); Import-CapnpMessage reads both.' }
            @{ Code = 'Get-ChildItem /etc | Export-CapnpMessage ./procs.bin -Append -Verbose'; Remarks = 'Objects of another shape are appended as a message under their own schema (verbose output says so); Import-CapnpMessage reads each message through the schema it carries, so the processes and the files both come back as they were.' }
            @{ Code = 'Import-Csv ./ops.csv | Export-CapnpMessage -Path ./ops.bin -Schema ./ops.capnp -RootType Batch'; Remarks = 'Converts a CSV file into a Cap''n Proto message file.' }
            @{ Code = 'Import-Csv ./ops.csv |
    Select-Object @{n=''id'';e={$_.Id}}, @{n=''name'';e={$_.Process}},
        @{n=''host'';e={ @{ name = $_.Host; port = $_.Port } }}, @{n=''tags'';e={ $_.Tags -split '';'' }} |
    Export-CapnpMessage ./ops.bin -Schema $schema -RootType Batch -Property @{ source = ''ops.csv'' } -Force -PassThru'; Remarks = 'Reshapes flat CSV rows into nested objects (a Host struct, a List(Text)) before exporting, sets a root field and outputs the file.' }
            @{ Code = 'Get-Process | Select-Object @{n=''pid'';e={$_.Id}}, @{n=''name'';e={$_.ProcessName}}, @{n=''cpu'';e={$_.CPU}} |
    Export-CapnpMessage ./procs.bin -Schema $schema -RootType Batch'; Remarks = 'Snapshots the process table into a message.' }
        )
        Notes       = 'ErrorIds: SchemaMismatch, FileExists, FileLocked, RootTypeNotFound, FieldNotFound, FieldRequired, FieldTypeNotSupported, RecordConversionFailed, RecordTooLarge, PropertyConversionFailed, MessageFailed, CapacityExceeded. See docs/cmdlets.md.'
    }

    'Import-CapnpMessage' = @{
        Synopsis    = 'Reads a Cap''n Proto message file back as PowerShell objects, one list element at a time.'
        Description = @(
            'Import-CapnpMessage maps the file read-only and streams the elements of a List(Struct) field as objects (the root''s only list by default, or -Field). When the root has no list, or -Field names a struct or group, that one struct is output. Reading is lazy: elements are decoded in small batches as they are written, so Select-Object -First stops early and memory stays flat; -Skip and -First decode nothing they pass over. A long read shows progress every 65536 records.'
            'Each object is an instance of a class generated once per struct (named after it, or Deserialized.<type> for records whose .NET type was recorded), with one settable property per field in schema order. It behaves as an ordinary object in Where-Object, Sort-Object, Format-Table, Export-Csv, ConvertTo-Json and Add-Member, and a record costs a fraction of a PSCustomObject.'
            'Records are copied out of the file in batches (by a second thread, ahead of the pipeline) and an object''s values are decoded the first time any of its properties is read: counting or passing objects on costs no decoding. The copy is checked against the schema as the file is read, so a malformed record is an InvalidMessageFile error of Import itself; after that the objects no longer depend on the file, which may be overwritten or deleted while they live.'
            'Enums come back as their names, Data as byte[], lists as arrays, structs and groups as nested objects, and a union as the one member that is set (only that member''s property). The objects convert back with Export-CapnpMessage -Strict.'
            'The reading of each file has one traversal budget, shared by its messages: by default the file''s size in words plus 64 Ki words, instead of the fixed 64 MiB limit that protects servers (a CapMap file is often larger). Each list element counts at least one word, also an element of zero size, which costs nothing to store: so a small file cannot claim millions of records, and one that claims more than its budget stops with InvalidMessageFile. -TraversalLimit raises the budget for a file you trust.'
            'A message that is not complete (state Checkpoint: its writer is still at work, or stopped before completing it) is read up to its last checkpoint, with a warning that names the message and its state. A truncated message (its table declares more bytes than the file has) is an InvalidMessageFile error before anything of the file is output; Get-CapnpMessageInfo reports it the same way.'
            'A carried schema is data from the file too: it is loaded within a budget (16,384 nodes, 4 MiB of annotation text, nesting 64 deep), past which the file is InvalidMessageFile; the .NET enum types it names are looked up only among assemblies already loaded (never loaded from the file''s say-so): an enum of an assembly nobody loaded comes back as its name.'
            'Without -Schema each message of the file is read by the schema it carries (every file CapMap writes carries it; NoEmbeddedSchema when the first has none), so a stream appended with -Force under another schema reads right. For a schema inferred by Export-CapnpMessage the records come back with their original property names and .NET types (DateTime, Guid, enums, nested objects, ...), and records that were plain values piped on their own (1..1000, Get-Content lines, Get-Date) come back as those values themselves. -RootType without -Schema names a struct of the carried schema to read each root as, as capnp convert takes a type (a name it does not have is RootTypeNotFound, listing its structs).'
            'A -Schema given wins, but it must be the file''s: when -Schema''s -RootType is no struct of the schema a message carries (another id) and has another layout (data words, pointers) than its root, the file is SchemaMismatch, naming both, before anything of it is output. The .capnp the file was written with, a later version of it (same ids), or Get-CapnpSchema -AsText of the file all read it, as the root type or as another of its structs.'
            'A file may hold a stream of several messages (-Append, or another writer''s stream). -MessageIndex (alias -Index) reads only the messages at those 0-based indexes, as Get-CapnpMessageInfo numbers them, in file order and each once; -Skip and -First then count over the elements of those messages together. An index the file does not have is MessageNotFound for that file, before anything of it is output.'
        )
        Parameters  = @{
            Path        = $pathWild
            LiteralPath = $literal
            Schema      = $schema + ' Default: the schema the file carries.'
            RootType    = $rootType + ' Without -Schema, a struct of the schema each message carries. Default: the carried schema''s root, or the given schema''s only root candidate.'
            MessageIndex = 'Reads only the messages at these 0-based indexes (as Get-CapnpMessageInfo numbers them), in file order and each once; -Skip and -First count over their elements together. Alias: -Index. An index the file does not have is MessageNotFound.'
            Field       = 'What to read: a List(Struct) field (its elements) or a struct or group field, as a dotted path from the root. Default: the root''s only List(Struct) field, or the root itself when it has none.'
            Skip        = 'Skips this many list elements first (without decoding them).'
            First       = 'Reads at most this many list elements.'
            TraversalLimit = 'Words the reading of each file may visit, all its messages together (each struct, list and blob counts its size; each list element at least one word). Default: the file''s size in words plus 64 Ki. Raise it only for a file you trust that holds many elements of zero size.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Paths, also by property name (Path, PSPath).' })
        Outputs     = @(@{ Type = 'CapMap.Objects.Reading.Row'; Description = 'One object per list element (or the struct), of a class generated for its struct.' })
        Examples    = @(
            @{ Code = 'Import-CapnpMessage ./procs.bin | Sort-Object WorkingSet64 -Descending | Select-Object -First 5'; Remarks = 'Reads a file by the schema it carries: the five processes with the largest working set, as they were written.' }
            @{ Code = 'Import-CapnpMessage ./ops.bin -Schema ./ops.capnp -RootType Batch | Where-Object severity -eq ''error'' | Select-Object -First 10'; Remarks = 'Streams the records and shows the first ten errors; reading stops once ten are found.' }
            @{ Code = 'Import-CapnpMessage ./ops.bin -Schema $schema -RootType Batch | Export-Csv ./roundtrip.csv'; Remarks = 'Turns the message back into a CSV file.' }
            @{ Code = 'Import-CapnpMessage ./report.bin -Schema $schema -RootType Report -Field detail.samples -Skip 1000 -First 50'; Remarks = 'Reads 50 elements of a nested list, starting at element 1000.' }
            @{ Code = 'Get-CapnpMessageInfo ./log.bin | Format-Table Index, RecordCount, State
Import-CapnpMessage ./log.bin -MessageIndex 2'; Remarks = 'Lists the messages of a stream (a file appended to with -Append) and reads the records of the third one only.' }
        )
        Notes       = 'ErrorIds: InvalidMessageFile, ReadFailed, AccessDenied, FileTruncated, RootTypeNotFound, FieldNotFound, FieldRequired, PathNotFound, NoEmbeddedSchema, InvalidSchema, SchemaMismatch, MessageNotFound. See docs/cmdlets.md.'
    }

    'Get-CapnpSchema' = @{
        Synopsis    = 'Returns the schema a message file carries, as a schema object or as .capnp source.'
        Description = @(
            'Every file CapMap writes carries the schema of its root type (given with -Schema or inferred from the objects), in words of the first segment that no pointer reaches, so other Cap''n Proto readers never see it. Get-CapnpSchema reads it back as the object Import-CapnpSchema returns (RootType names the file''s root), usable with -Schema of every cmdlet.'
            'With -AsText it returns .capnp source that capnp compile accepts and that decodes the file: Get-Content -AsByteStream -Raw file.bin | capnp convert binary:json schema.capnp Batch. Inferred schemas carry the original property names and .NET types as annotations. A schema given with -Schema is written back whole: unions (named and unnamed), groups, defaults, nested and imported declarations (each imported file becomes a struct named after it), annotations, interfaces, constants and generics, every node with its id and every field with its ordinal, so capnp lays it out exactly as the original.'
            'Only values the schema language has no literal for stop it (SchemaTextNotSupported): an AnyPointer constant or default, an enum value that names no enumerant, a null element in a list default.'
        )
        Parameters  = @{
            Path         = $pathWild
            LiteralPath  = $literal
            MessageIndex = 'Which message of the file (a file may hold several); default 0, the first. An index the file does not have is MessageNotFound.'
            AsText       = 'Returns the schema as .capnp source text.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Paths, also by property name (Path, PSPath).' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpSchema'; Description = 'The carried schema (Source Embedded), or with -AsText a string.' })
        Examples    = @(
            @{ Code = 'Get-CapnpSchema ./procs.bin -AsText | Set-Content ./procs.capnp
Get-Content -AsByteStream -Raw ./procs.bin | capnp convert binary:json ./procs.capnp Batch'; Remarks = 'Saves the schema of a file written without one, and decodes the file with the capnp tool (PowerShell 7.4 and later pipe the bytes to it unchanged; PowerShell has no < redirection).' }
            @{ Code = '$s = Get-CapnpSchema ./ops.bin; Import-CapnpMessage ./ops2.bin -Schema $s -RootType $s.RootType'; Remarks = 'Reads another file by the schema one file carries.' }
            @{ Code = 'Get-CapnpSchema ./report.bin -AsText | Set-Content ./recovered.capnp'; Remarks = 'Recovers the .capnp source of a file written with an explicit schema (unions and groups included) when the original file is gone.' }
        )
        Notes       = 'ErrorIds: NoEmbeddedSchema, InvalidSchema, SchemaTextNotSupported, InvalidMessageFile, MessageNotFound, PathNotFound. See docs/cmdlets.md.'
    }

    'ConvertTo-CapnpSchema' = @{
        Synopsis    = 'Infers a Cap''n Proto schema from objects, without writing a message.'
        Description = @(
            'ConvertTo-CapnpSchema looks at the objects as Export-CapnpMessage without -Schema does and returns the schema it would write them with: a root struct (-RootType, default Batch) with one list field (-Field, default records) of records whose fields follow the objects'' properties. Numbers widen as the samples demand, values of several kinds (an Int32 and a string, objects and numbers in one array) become a union with one member per kind so each keeps its type, records of several .NET types a union of one struct per type, a property that is only ever null has no type yet (Void, read back as null) until a value says what it is; nested objects are kept as structs to -Depth. One warning names every property that was null in every object: Export-CapnpMessage without -Schema types them at their first value, but the schema given to -Schema as it is refuses every value there, so give them a type in its .capnp text first.'
            'The result is the object Import-CapnpSchema returns, or with -AsText the .capnp source, with the original names and .NET types as annotations.'
        )
        Parameters  = @{
            InputObject = 'The objects to infer from, from the pipeline. An array given by name counts element by element.'
            RootType    = 'The root struct''s name (default Batch).'
            Field       = 'The name of the root''s list of records (default records).'
            Depth       = 'Levels of nested objects kept as structs (default 1, at most 100 as in ConvertTo-Json; lists do not count); deeper values become Text. Nested objects are read without their script properties.'
            SampleSize  = 'How many objects are looked at (default 1000); the rest are ignored.'
            AsText      = 'Returns .capnp source text.'
        }
        Inputs      = @(@{ Type = 'System.Management.Automation.PSObject'; Description = 'The objects to infer from.' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpSchema'; Description = 'The inferred schema (Source Inferred), or with -AsText a string.' })
        Examples    = @(
            @{ Code = 'Get-Process | ConvertTo-CapnpSchema -AsText'; Remarks = 'Shows the schema Export-CapnpMessage would write the process table with.' }
            @{ Code = 'Import-Csv ./ops.csv | ConvertTo-CapnpSchema -RootType Ops -AsText | Set-Content ./ops.capnp'; Remarks = 'Starts a schema file from a CSV file''s rows, to edit and use with -Schema.' }
        )
        Notes       = 'See docs/object-conversion.md, "Schema inference and the type table".'
    }

    'Get-CapnpMessageInfo' = @{
        Synopsis    = 'Shows each message of a message file: segment table, sizes, record count, slack and checkpoint state.'
        Description = @(
            'Get-CapnpMessageInfo reads the headers of a stream-framed message file and outputs one object per message (a file may hold a stream of several, one after the other): its Index and Offset in the file, the segment table (each segment''s offset and size), the bytes the message declares, and for the last message the slack after it or whether it is truncated.'
            'For a message CapMap wrote, State is Complete (finished) or Checkpoint (written while building), with the checkpoint''s sequence number and record count; for another writer''s message State is Unknown and RecordCount is the element count of the root''s only list of structs (0 when the root has none or several).'
        )
        Parameters  = @{
            Path        = $pathWild
            LiteralPath = $literal
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Paths, also by property name (Path, PSPath).' })
        Outputs     = @(@{ Type = 'CapMap.PowerShell.CapnpMessageInfo'; Description = 'One per message: Path, Index, Offset, State, FileBytes, MessageBytes, SlackBytes, IsTruncated, TableBytes, SegmentCount, Segments, CheckpointSequence, RecordCount.' })
        Examples    = @(
            @{ Code = 'Get-CapnpMessageInfo ./ops.bin'; Remarks = 'Shows the state, sizes and segments of ops.bin.' }
            @{ Code = '(Get-CapnpMessageInfo ./ops.bin).Segments | Format-Table'; Remarks = 'Lists the segment table: index, offset, words and bytes of each segment.' }
            @{ Code = 'Get-ChildItem ./spool/*.bin | Get-CapnpMessageInfo | Where-Object State -ne Complete'; Remarks = 'Finds files whose writer never completed them.' }
            @{ Code = 'Get-CapnpMessageInfo ./stream.bin | Format-Table Index, Offset, MessageBytes, RecordCount'; Remarks = 'Lists the messages of a file that holds several, with the records in each.' }
        )
        Notes       = 'ErrorIds: InvalidMessageFile, PathNotFound, PathIsDirectory. See docs/cmdlets.md.'
    }

    'Test-CapMapPlatform' = @{
        Synopsis    = 'Checks whether growing mapped files work in a directory on this machine.'
        Description = @(
            'Test-CapMapPlatform runs the checks CapMap depends on in a directory: the grow-on-fault experiment (a zero-length file mapped, written past its end, grown by the SIGBUS handler and read back), fallocate, collapse-range (to close gaps without copying), MADV_POPULATE_WRITE, how much address space can be reserved, the file system type and free space. It creates and removes a few small scratch files there.'
            'It outputs the full report, with the verdict (IsSupported, shown under that name so that Where-Object IsSupported finds what the view shows), problems and notes; with -Quiet only $true or $false.'
        )
        Parameters  = @{
            Path  = 'The directory to test. Default: the current location.'
            Quiet = 'Outputs only $true (supported) or $false.'
        }
        Inputs      = @(@{ Type = 'None'; Description = 'This cmdlet takes no pipeline input.' })
        Outputs     = @(
            @{ Type = 'CapMap.Platform.PlatformReport'; Description = 'The full report.' }
            @{ Type = 'System.Boolean'; Description = 'With -Quiet.' })
        Examples    = @(
            @{ Code = 'Test-CapMapPlatform'; Remarks = 'Checks the current directory and shows the report.' }
            @{ Code = 'if (-not (Test-CapMapPlatform -Path /mnt/data -Quiet)) { throw ''CapMap cannot build files on /mnt/data'' }'; Remarks = 'Gates a script on the verdict for its output directory.' }
        )
        Notes       = 'ErrorIds: PathNotFound, PlatformProbeFailed. See docs/cmdlets.md.'
    }
}
