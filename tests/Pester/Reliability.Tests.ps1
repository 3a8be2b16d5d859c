#Requires -Version 7.4
# Reliability under faults and hostile input, through the cmdlets (tag Reliability; docs/reliability.md maps each
# promise to its test). Faulting writers run in child pwsh processes (Reliability/FaultChild.ps1): a child that
# dies by a signal is a crash. Needs root (tmpfs mounts), the capnp tool, truncate and bash.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ChildScript = Join-Path $PSScriptRoot 'Reliability/FaultChild.ps1'
    # Children load the precompiled schema: no capnp compile per process.
    $script:Precompiled = Join-Path $TestDrive 'ops.capnp.bin'
    $null = Import-CapnpSchema -LiteralPath $SchemaPath -SavePrecompiled $Precompiled

    function Get-PwshCommand {
        $pwsh = [Environment]::ProcessPath
        $prefix = @(if ((Split-Path -Leaf $pwsh) -in 'dotnet', 'dotnet.exe') { Join-Path $PSHOME 'pwsh.dll' })
        , (@($pwsh) + $prefix + @('-NoProfile', '-NonInteractive'))
    }

    # Starts the child script with the given arguments (under `bash -c "<ShellPrefix>; exec ..."` when given).
    function Start-FaultChild {
        param([string[]] $Arguments, [string] $ShellPrefix)
        $command = (Get-PwshCommand) + @('-File', $ChildScript, '-ModuleManifest', $ModuleManifest, '-SchemaPath', $Precompiled,
            '-SchemaSource', $SchemaPath) + $Arguments
        if ($ShellPrefix) {
            $info = [Diagnostics.ProcessStartInfo]::new('bash')
            $info.ArgumentList.Add('-c')
            $info.ArgumentList.Add("$ShellPrefix; exec `"`$0`" `"`$@`"")
        }
        else {
            $info = [Diagnostics.ProcessStartInfo]::new($command[0])
            $command = $command | Select-Object -Skip 1
        }
        foreach ($a in $command) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        [Diagnostics.Process]::Start($info)
    }

    # Runs a child to its end: exit code, whether a signal ended it (.NET reports 128 + signal), the REP objects.
    function Invoke-FaultChild {
        param([string[]] $Arguments, [string] $ShellPrefix, [int] $TimeoutSeconds = 300)
        $process = Start-FaultChild -Arguments $Arguments -ShellPrefix $ShellPrefix
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The child did not finish within $TimeoutSeconds s: $($stdout.Result) $($stderr.Result)"
        }
        $process.WaitForExit()
        $lines = $stdout.Result -split "`n"
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Crashed  = $process.ExitCode -ge 128
            Done     = $lines -contains 'DONE'
            Reps     = @($lines | Where-Object { $_.StartsWith('REP ') } | ForEach-Object { $_.Substring(4) | ConvertFrom-Json })
            Output   = $stdout.Result
            Error    = $stderr.Result
        }
    }

    # What every rep of a full disk or a size limit must show: a clear terminating error, a live session, and a
    # file at its last checkpoint that the reference reader decodes, holding records 1..N in order.
    function Assert-FillRep($rep, [string] $Reason) {
        $context = "rep $($rep.rep) ($($rep.mode) $($rep.flow))"
        $rep.errorId | Should -BeLike 'MessageFailed,*' -Because $context
        $rep.category | Should -Be 'WriteError' -Because $context
        $rep.message | Should -Match $Reason -Because $context
        $rep.alive | Should -BeTrue -Because $context
        $rep.exists | Should -BeTrue -Because $context
        $rep.state | Should -Be 'Checkpoint' -Because $context
        $rep.slack | Should -Be 0 -Because $context
        $rep.capnp | Should -Be $rep.records -Because "$context decodes with capnp convert to exactly the checkpoint's records"
        if ($rep.records -gt 0) { $rep.lastId | Should -Be $rep.records -Because $context }
        if ($rep.flow -eq 'Add') { $rep.records | Should -Be $rep.saved -Because "$context keeps exactly the records up to the last Save" }
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Disk full on a 16 MiB tmpfs, through the cmdlets' -Tag 'Reliability' {
    BeforeAll {
        # Two 16 MiB tmpfs mounts, one child filling each at a time (two cores).
        $script:Mounts = foreach ($name in 'tmpfs16a', 'tmpfs16b') {
            $dir = Join-Path $TestDrive $name
            New-Item -ItemType Directory -Path $dir | Out-Null
            & mount -t tmpfs -o size=16m tmpfs $dir
            if ($LASTEXITCODE -ne 0) { throw "mount -t tmpfs failed (exit code $LASTEXITCODE); these tests run as root." }
            $dir
        }
        $script:Mount = $Mounts[0]
        $script:Children = 10
        $script:RepsPerChild = 5
        $script:Runs = for ($c = 0; $c -lt $Children; $c += 2) {
            $pair = foreach ($k in 0, 1) {
                $arguments = @('-Scenario', 'Fill', '-Directory', $Mounts[$k], '-Reps', $RepsPerChild, '-FirstRep', (($c + $k) * $RepsPerChild), '-Seed', (1000 + $c + $k))
                [pscustomobject]@{ Process = (Start-FaultChild -Arguments $arguments) }
            }
            foreach ($p in $pair) { $p | Add-Member Output $p.Process.StandardOutput.ReadToEndAsync(); $p | Add-Member Error $p.Process.StandardError.ReadToEndAsync() }
            foreach ($p in $pair) {
                if (-not $p.Process.WaitForExit(300000)) { $p.Process.Kill($true); throw "A disk-full child did not finish in 5 minutes." }
                $p.Process.WaitForExit()
                $lines = $p.Output.Result -split "`n"
                [pscustomobject]@{
                    ExitCode = $p.Process.ExitCode
                    Crashed  = $p.Process.ExitCode -ge 128
                    Done     = $lines -contains 'DONE'
                    Reps     = @($lines | Where-Object { $_.StartsWith('REP ') } | ForEach-Object { $_.Substring(4) | ConvertFrom-Json })
                    Error    = $p.Error.Result
                }
            }
        }
        $script:AllReps = @($Runs | ForEach-Object { $_.Reps })
        Write-Host ("disk full: {0} repetitions in {1} child processes, {2} crashed" -f $AllReps.Count, $Runs.Count, @($Runs | Where-Object Crashed).Count)
    }

    AfterAll {
        foreach ($dir in $Mounts) {
            & umount $dir
            if ($LASTEXITCODE -ne 0) { & umount -l $dir }
        }
    }

    It 'ran 50 repetitions in Fault and Eager mode, with Export-CapnpMessage and Add-CapnpStruct, with zero crashes' {
        @($Runs | Where-Object Crashed).Count | Should -Be 0 -Because ($Runs | Where-Object Crashed | ForEach-Object { "exit $($_.ExitCode): $($_.Error)" })
        @($Runs | Where-Object { -not $_.Done }).Count | Should -Be 0 -Because ($Runs | Where-Object { -not $_.Done } | ForEach-Object { $_.Error })
        $AllReps.Count | Should -Be 50
        @($AllReps | Where-Object mode -EQ 'Fault').Count | Should -Be 25
        @($AllReps | Where-Object flow -EQ 'Export').Count | Should -BeGreaterThan 20
    }

    It 'ends each build with MessageFailed, keeps the session running and leaves the last checkpoint, which capnp decodes' {
        foreach ($rep in $AllReps) { Assert-FillRep $rep 'disk is full' }
    }

    It 'leaves the tmpfs usable: the next build in the same directory succeeds' {
        $file = Join-Path $Mount 'after.bin'
        1..100 | ForEach-Object { [pscustomobject]@{ id = $_; name = "r$_" } } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Reserve 64MB
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 100
        Remove-Item $file
    }
}

Describe 'File-size limit (RLIMIT_FSIZE) in a child process' -Tag 'Reliability' {
    It 'ends with MessageFailed, not SIGXFSZ, and keeps the last checkpoint (Fault and Eager, Export and Add)' {
        $dir = Join-Path $TestDrive 'fsize'
        New-Item -ItemType Directory -Path $dir | Out-Null
        # ulimit -f counts 1 KiB blocks: 8 MiB.
        # W^X off: the runtime's double-mapped code heap lives in a memfd that the same limit would cap, and a
        # pwsh needs more of it than 8 MiB. The limit still applies to every file the child writes.
        $run = Invoke-FaultChild -ShellPrefix 'export DOTNET_EnableWriteXorExecute=0; ulimit -f 8192' -Arguments @('-Scenario', 'Fill', '-Directory', $dir, '-Reps', 4, '-Seed', 77)
        $run.Crashed | Should -BeFalse -Because "exit code $($run.ExitCode): $($run.Error)"
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Done | Should -BeTrue
        $run.Reps.Count | Should -Be 4
        foreach ($rep in $run.Reps) { Assert-FillRep $rep 'file size limit' }
    }
}

Describe 'A file truncated by another process while the cmdlets write it' -Tag 'Reliability' {
    It 'is reported as MessageFailed naming the truncation, in <_> mode, without a crash' -ForEach 'Fault', 'Eager' {
        $dir = Join-Path $TestDrive "truncate-$_"
        New-Item -ItemType Directory -Path $dir | Out-Null
        $run = Invoke-FaultChild -Arguments @('-Scenario', 'Truncate', '-Directory', $dir, '-Growth', $_)
        $run.Crashed | Should -BeFalse -Because "exit code $($run.ExitCode): $($run.Error)"
        $run.Done | Should -BeTrue -Because $run.Error
        $run.Reps.Count | Should -Be 2
        foreach ($rep in $run.Reps) {
            $rep.errorId | Should -BeLike 'MessageFailed,*' -Because $rep.flow
            $rep.message | Should -Match 'truncated by another process' -Because $rep.flow
            $rep.alive | Should -BeTrue
            # What is left is exactly the header page (the cut was to 4096 bytes; a failed message writes nothing
            # more). Get-CapnpMessageInfo describes its last checkpoint, whose data is gone, and reports the truncation
            # as Import-CapnpMessage does.
            $rep.fileBytes | Should -Be 4096 -Because $rep.flow
            $rep.infoError | Should -BeLike 'InvalidMessageFile,*' -Because $rep.flow
            $rep.infoState | Should -Be 'Checkpoint' -Because $rep.flow
            $rep.infoTruncated | Should -BeTrue -Because $rep.flow
            if ($rep.flow -eq 'Add') {
                # Save-CapnpMappedMessage checkpointed the first 1,000 records right before the cut.
                $rep.infoRecords | Should -Be 1000
            }
            else {
                # Export checkpoints at creation and then every 1,024 records once its progress interval has
                # passed; the cut came before record 5,000, so the last checkpoint holds a multiple of 1,024 below it.
                $rep.infoRecords % 1024 | Should -Be 0
                $rep.infoRecords | Should -BeLessThan 5000
            }
        }
    }
}

Describe 'kill -9 of a pwsh building with Add-CapnpStruct and Save-CapnpMappedMessage' -Tag 'Reliability' {
    It 'Repair-CapnpMappedMessage restores exactly the records up to the last checkpoint, at 20 random points' {
        $random = [Random]::new(20261126)
        $crashes = 0
        for ($round = 0; $round -lt 20; $round++) {
            $file = Join-Path $TestDrive "kill$round.bin"
            $growth = @('Fault', 'Eager')[$round % 2]
            $target = 500 * $random.Next(1, 5)
            $process = Start-FaultChild -Arguments @('-Scenario', 'Kill', '-Directory', $TestDrive, '-File', $file, '-Growth', $growth)
            $stderr = $process.StandardError.ReadToEndAsync()
            $seen = 0
            while ($seen -lt $target) {
                $line = $process.StandardOutput.ReadLine()
                if ($null -eq $line) { throw "round ${round}: the child ended early (exit $($process.ExitCode)): $($stderr.Result)" }
                if ($line.StartsWith('checkpoint ')) { $seen = [long] $line.Substring(11) }
            }
            # Land somewhere inside the next batch or its Save, not only right after a checkpoint.
            Start-Sleep -Milliseconds $random.Next(0, 250)
            $process.Kill() # SIGKILL
            $process.WaitForExit()
            $process.ExitCode | Should -Be 137 -Because "round ${round}: killed by SIGKILL, not ended otherwise ($($stderr.Result))"

            $result = Repair-CapnpMappedMessage -LiteralPath $file -Confirm:$false
            $result.State | Should -Be 'Checkpoint'
            $result.RecordCount | Should -BeGreaterOrEqual $seen -Because "round $round"
            ($result.RecordCount % 500) | Should -Be 0 -Because "round ${round}: exactly the records of a checkpoint"
            $result.BytesAfter | Should -Be (Get-Item -LiteralPath $file).Length
            $json = ConvertFrom-CapnpFile $file
            $json.records.Count | Should -Be $result.RecordCount -Because "round $round"
            $json.records[-1].id | Should -Be "$($result.RecordCount)"
            $json.records[-1].name | Should -Be "record $($result.RecordCount)"
            Remove-Item -LiteralPath $file
        }
    }
}

Describe 'A second writer on the same path' -Tag 'Reliability' {
    BeforeAll {
        $script:First = New-CapnpMappedMessage -Path (Join-Path $TestDrive 'first.bin') -Schema $Schema -RootType Batch -Reserve 256MB
        1..200 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $First
        $null = Save-CapnpMappedMessage -Message $First
        # sha256sum reads without the advisory lock .NET's FileStream would take (and be refused).
        function Get-Hash([string] $Path) { (& sha256sum $Path) -split ' ' | Select-Object -First 1 }
        $script:Before = Get-Hash $First.Path
    }

    AfterAll {
        $First.Dispose()
    }

    It 'is refused with FileLocked in the same process, and the first writer''s file is untouched' {
        { New-CapnpMappedMessage -Path $First.Path -Schema $Schema -RootType Batch -Force } | Should -Throw -ErrorId 'FileLocked,*'
        { New-TestRecord 1 | Export-CapnpMessage -Path $First.Path -Schema $Schema -RootType Batch -Force } | Should -Throw -ErrorId 'FileLocked,*'
        { Repair-CapnpMappedMessage -LiteralPath $First.Path -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'FileLocked,*'
        { Resize-CapnpMappedMessage -LiteralPath $First.Path -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'FileLocked,*'
        # Without -Force the existing file is refused before the lock is even tried.
        { New-CapnpMappedMessage -Path $First.Path -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'FileExists,*'
        Get-Hash $First.Path | Should -Be $Before
    }

    It 'is refused with FileLocked from another process, and the first writer''s file is untouched' {
        $run = Invoke-FaultChild -Arguments @('-Scenario', 'Lock', '-Directory', $TestDrive, '-File', $First.Path)
        $run.Crashed | Should -BeFalse
        $run.Done | Should -BeTrue -Because $run.Error
        $rep = $run.Reps[0]
        foreach ($attempt in 'New', 'Export', 'Repair', 'Resize') { $rep.$attempt | Should -BeLike 'FileLocked,*' -Because $attempt }
        $rep.NewMessage | Should -Match 'first.bin'
        Get-Hash $First.Path | Should -Be $Before
    }

    It 'leaves the first writer able to finish: every record is there' {
        201..300 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $First
        $summary = $First | Complete-CapnpMappedMessage
        $json = ConvertFrom-CapnpFile $summary.Path
        $json.records.Count | Should -Be 300
        $json.records[299].name | Should -Be 'proc-300'
    }
}

Describe 'Bad pipeline input' -Tag 'Reliability' {
    # Cases the other test files do not cover: values nested in structs, groups and lists, Data, enums given as
    # numbers out of range. Each names the record and the field; the records before and after are written.
    BeforeAll {
        $script:BadRecords = @(
            @{ Why = 'a nested struct field of the wrong type'; Record = @{ id = 9; host = @{ name = 'h'; port = 'eighty' } }; Field = 'host.port'; Value = 'eighty' }
            @{ Why = 'a nested struct field out of range'; Record = @{ id = 9; host = @{ port = 70000 } }; Field = 'host.port'; Value = '70000' }
            @{ Why = 'a group field out of range'; Record = @{ id = 9; location = @{ rack = 40000 } }; Field = 'location.rack'; Value = '40000' }
            @{ Why = 'a list element of the wrong type'; Record = @{ id = 9; tags = @('ok', @{ no = 1 }) }; Field = 'tags'; Value = '' }
            @{ Why = 'Data that is not base64'; Record = @{ id = 9; payload = 'not base64!' }; Field = 'payload'; Value = 'not base64' }
            @{ Why = 'an enumerant number out of range'; Record = @{ id = 9; severity = 99 }; Field = 'severity'; Value = '99' }
            @{ Why = 'a negative number into a UInt64'; Record = @{ id = -1 }; Field = 'id'; Value = '-1' }
            @{ Why = 'a Bool that is no Bool'; Record = @{ id = 9; ok = 'maybe' }; Field = 'ok'; Value = 'maybe' }
            @{ Why = 'two union members'; Record = @{ id = 9; none = $true; exitCode = 3 }; Field = 'exitCode'; Value = '' }
        )
        # Good record 2k, then bad record 2k+1: every bad record sits between good ones.
        $script:Inputs = for ($k = 0; $k -lt $BadRecords.Count; $k++) { New-TestRecord (2 * $k); [pscustomobject] $BadRecords[$k].Record }
        $script:Inputs += New-TestRecord (2 * $BadRecords.Count)
        $script:GoodIds = @(0..$BadRecords.Count | ForEach-Object { "$(1000 + 2 * $_)" })
    }

    It 'Add-CapnpStruct and Export-CapnpMessage report each bad record naming the record and the field, and keep the others' {
        $m = New-CapnpMappedMessage -Path (Join-Path $TestDrive 'bad-add.bin') -Schema $Schema -RootType Batch -Reserve 64MB
        $Inputs | Add-CapnpStruct -Message $m -ErrorVariable addErrors -ErrorAction SilentlyContinue
        $addFile = ($m | Complete-CapnpMappedMessage).Path
        $exportFile = Join-Path $TestDrive 'bad-export.bin'
        $Inputs | Export-CapnpMessage -Path $exportFile -Schema $Schema -RootType Batch -Reserve 64MB -ErrorVariable exportErrors -ErrorAction SilentlyContinue
        foreach ($case in @{ Errors = $addErrors; File = $addFile }, @{ Errors = $exportErrors; File = $exportFile }) {
            $case.Errors.Count | Should -Be $BadRecords.Count
            for ($k = 0; $k -lt $BadRecords.Count; $k++) {
                $bad = $BadRecords[$k]
                $error = $case.Errors[$k]
                $error.FullyQualifiedErrorId | Should -BeLike 'RecordConversionFailed,*' -Because $bad.Why
                "$error" | Should -Match "Record $(2 * $k + 1) " -Because $bad.Why
                "$error" | Should -Match ([regex]::Escape($bad.Field)) -Because $bad.Why
                if ($bad.Value) { "$error" | Should -Match ([regex]::Escape($bad.Value)) -Because $bad.Why }
                $error.TargetObject.id | Should -Be $bad.Record.id -Because $bad.Why
            }
            (ConvertFrom-CapnpFile $case.File).records.id | Should -Be $GoodIds
        }
    }

    It 'reports a missing schema, an unknown -RootType and an unknown -Field on Add-CapnpStruct and Import-CapnpMessage by ErrorId' {
        $m = New-CapnpMappedMessage -Path (Join-Path $TestDrive 'bad-params.bin') -Schema $Schema -RootType Batch -Reserve 64MB
        (New-TestRecord 0) | Add-CapnpStruct -Message $m
        { New-TestRecord 1 | Add-CapnpStruct -Message $m -Field 'host.nope' } | Should -Throw -ErrorId 'FieldNotFound,*'
        { New-TestRecord 1 | Add-CapnpStruct -Message $m -Field 'nope' } | Should -Throw -ErrorId 'FieldNotFound,*'
        $m.RecordCount | Should -Be 1
        $file = ($m | Complete-CapnpMappedMessage).Path
        { Import-CapnpMessage -LiteralPath $file -Schema (Join-Path $TestDrive 'missing.capnp') -RootType Batch } | Should -Throw -ErrorId 'PathNotFound,*'
        { Import-CapnpMessage -LiteralPath $file -Schema 42 -RootType Batch } | Should -Throw -ErrorId 'InvalidSchema,*'
        { Import-CapnpMessage -LiteralPath $file -Schema $Schema -RootType Nope } | Should -Throw -ErrorId 'RootTypeNotFound,*'
        { Import-CapnpMessage -LiteralPath $file -Schema $Schema -RootType Batch -Field nope } | Should -Throw -ErrorId 'FieldNotFound,*'
        { New-TestRecord 1 | Export-CapnpMessage -Path (Join-Path $TestDrive 'x.bin') -Schema 42 -RootType Batch } | Should -Throw -ErrorId 'InvalidSchema,*'
        (ConvertFrom-CapnpFile $file).records.id | Should -Be @('1000')
    }

    It 'reports hostile files to Import-CapnpMessage and Get-CapnpMessageInfo as InvalidMessageFile and goes on with the next file' {
        $good = Join-Path $TestDrive 'good-for-hostile.bin'
        0..2 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $good -Schema $Schema -RootType Batch -Reserve 64MB
        $bytes = Get-Bytes $good
        $hostile = [Collections.Generic.List[byte[]]]::new()
        $hostile.Add([byte[]] @(0, 0, 0, 0, 5, 0, 0, 0))                        # claims 5 words, has none
        $hostile.Add([byte[]] @(0xFF, 1, 0, 0, 0, 0, 0, 0))                     # 512 segments
        $hostile.Add([byte[]] $bytes[0..($bytes.Length - 9)])                   # truncated by one word
        $paths = for ($i = 0; $i -lt $hostile.Count; $i++) {
            $p = Join-Path $TestDrive "hostile$i.bin"
            [IO.File]::WriteAllBytes($p, [byte[]] $hostile[$i])
            $p
        }
        $read = Import-CapnpMessage -LiteralPath (@($paths) + $good) -Schema $Schema -RootType Batch -ErrorVariable importErrors -ErrorAction SilentlyContinue
        $importErrors.Count | Should -Be 3
        $importErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*' }
        @($read).Count | Should -Be 3
        $infos = Get-CapnpMessageInfo -LiteralPath (@($paths[0..1]) + $good) -ErrorVariable infoErrors -ErrorAction SilentlyContinue
        # A table that declares more than the file holds is described as truncated (that is what info is for) and
        # reported as the error Import gives; a table that is no table is an error only.
        $infoErrors.Count | Should -Be 2
        $infoErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*' }
        @($infos).Count | Should -Be 2
        $infos[0].IsTruncated | Should -BeTrue
        $infos[1].IsTruncated | Should -BeFalse
    }
}
