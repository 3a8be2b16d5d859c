#Requires -Version 7.4
# Get-CapnpMappedMessage and Close-CapnpMappedMessage, and an open message that is forgotten: its file is released
# when .NET collects it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function New-OpenMessage([string] $Name) {
        New-CapnpMappedMessage -Path (Join-Path $TestDrive $Name) -Schema $Schema -RootType Batch -Reserve 256MB
    }
    function Add-Records($Message, [int] $Count) {
        1..$Count | ForEach-Object { [pscustomobject]@{ id = [uint64] $_; name = "r$_" } } | Add-CapnpStruct -Message $Message
    }
}

AfterAll {
    Get-CapnpMappedMessage | ForEach-Object { $_.Dispose() }
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Get-CapnpMappedMessage' {
    It 'lists the open messages of the session, and -Path filters them' {
        $a = New-OpenMessage 'list-a.bin'
        $b = New-OpenMessage 'list-b.bin'
        try {
            $paths = @(Get-CapnpMappedMessage | ForEach-Object Path)
            $paths | Should -Contain $a.Path
            $paths | Should -Contain $b.Path
            @(Get-CapnpMappedMessage -Path (Join-Path $TestDrive 'list-a.*')).Path | Should -Be @($a.Path)
            @(Get-CapnpMappedMessage -Path (Join-Path $TestDrive 'nothing-*.bin')).Count | Should -Be 0
        }
        finally {
            $a.Dispose()
            $b.Dispose()
        }
    }

    It 'no longer lists a completed or disposed message' {
        $a = New-OpenMessage 'gone-a.bin'
        $b = New-OpenMessage 'gone-b.bin'
        $null = Complete-CapnpMappedMessage -Message $a
        $b.Dispose()
        $paths = @(Get-CapnpMappedMessage | ForEach-Object Path)
        $paths | Should -Not -Contain $a.Path
        $paths | Should -Not -Contain $b.Path
    }
}

Describe 'Close-CapnpMappedMessage' {
    It 'checkpoints every record, closes the message and unlocks its file' {
        $m = New-OpenMessage 'close.bin'
        Add-Records $m 25
        $closed = Close-CapnpMappedMessage -Message $m -PassThru
        $closed | Should -Be $m
        $m.State | Should -Be 'Closed'
        @(Get-CapnpMappedMessage | ForEach-Object Path) | Should -Not -Contain $m.Path
        $info = Get-CapnpMessageInfo -LiteralPath $m.Path
        $info.State | Should -Be 'Checkpoint'
        $info.RecordCount | Should -Be 25
        (ConvertFrom-CapnpFile -File $m.Path).records.Count | Should -Be 25
        # Unlocked: another writer may take the file.
        $again = New-CapnpMappedMessage -Path $m.Path -Schema $Schema -RootType Batch -Reserve 256MB -Force
        $again.Dispose()
    }

    It 'closes a message found by Get-CapnpMappedMessage after its variable was lost' {
        $m = New-OpenMessage 'lost.bin'
        $path = $m.Path
        Add-Records $m 7
        $null = Save-CapnpMappedMessage -Message $m
        $m = $null
        # Whether .NET collected it meanwhile or not, afterwards the file is free and holds the 7 saved records.
        Get-CapnpMappedMessage -Path $path | Close-CapnpMappedMessage
        @(Get-CapnpMappedMessage -Path $path).Count | Should -Be 0
        (Get-CapnpMessageInfo -LiteralPath $path).RecordCount | Should -Be 7
        $again = New-CapnpMappedMessage -Path $path -Schema $Schema -RootType Batch -Reserve 256MB -Force
        $again.Dispose()
    }

    It 'changes nothing with -WhatIf' {
        $m = New-OpenMessage 'whatif.bin'
        try {
            Close-CapnpMappedMessage -Message $m -WhatIf
            $m.State | Should -Be 'Open'
            @(Get-CapnpMappedMessage | ForEach-Object Path) | Should -Contain $m.Path
        }
        finally {
            $m.Dispose()
        }
    }

    It 'leaves a completed message as it is' {
        $m = New-OpenMessage 'done.bin'
        Add-Records $m 3
        $null = Complete-CapnpMappedMessage -Message $m
        Close-CapnpMappedMessage -Message $m -PassThru | ForEach-Object State | Should -Be 'Completed'
        (Get-CapnpMessageInfo -LiteralPath $m.Path).State | Should -Be 'Complete'
    }
}

Describe 'An open message nobody disposes' {
    It 'releases its file when .NET collects it' {
        $path = Join-Path $TestDrive 'forgotten.bin'
        $m = New-CapnpMappedMessage -Path $path -Schema $Schema -RootType Batch -Reserve 256MB
        { New-CapnpMappedMessage -Path $path -Schema $Schema -RootType Batch -Reserve 256MB -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileLocked,*'
        $m = $null
        for ($i = 0; $i -lt 3; $i++) { [GC]::Collect(); [GC]::WaitForPendingFinalizers() }
        $again = New-CapnpMappedMessage -Path $path -Schema $Schema -RootType Batch -Reserve 256MB -Force
        $again.State | Should -Be 'Open'
        $again.Dispose()
    }
}
