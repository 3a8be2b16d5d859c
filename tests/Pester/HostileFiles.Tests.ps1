#Requires -Version 7.4
# Files nobody vouches for, through the cmdlets (issue 20): a carried schema past its budget, a message still being
# written, a truncated message, a file that claims more values than it stores, and a symbolic link where a new file
# goes. docs/reliability.md names each promise next to its test here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # One message whose root holds a list of $Count structs of zero size (no data, no pointers): four words of file.
    function New-ZeroSizeListFile([string] $Path, [int] $Count) {
        $words = [uint64[]] @(
            ([uint64] 1 -shl 48),                     # root: struct pointer, 0 data words, 1 pointer
            ([uint64] 1 -bor ([uint64] 7 -shl 32)),   # list pointer: inline composite, 0 words of elements
            ([uint64] $Count -shl 2))                 # tag: $Count elements of 0 data words and 0 pointers
        $bytes = [byte[]]::new(8 + 8 * $words.Count)
        [BitConverter]::GetBytes([uint32] 0).CopyTo($bytes, 0)              # one segment
        [BitConverter]::GetBytes([uint32] $words.Count).CopyTo($bytes, 4)   # of three words
        for ($i = 0; $i -lt $words.Count; $i++) { [BitConverter]::GetBytes($words[$i]).CopyTo($bytes, 8 + 8 * $i) }
        [IO.File]::WriteAllBytes($Path, $bytes)
    }

    # A message file whose carried schema is $Schema (an InferredSchema) with an empty record list.
    function New-FileCarrying([string] $Path, $InferredSchema) {
        $embedded = [CapMap.Messages.EmbeddedSchema]::new($InferredSchema.ToBytes(), $InferredSchema.Root.Id)
        $options = [CapMap.Messages.MappedMessageOptions]@{ Schema = $embedded; ReserveBytes = 16MB }
        $builder = [CapMap.Messages.MappedMessageBuilder]::Create($Path, $options)
        try { $builder.Complete() } finally { $builder.Dispose() }
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A carried schema past its budget' -Tag 'Reliability' {
    It 'is InvalidMessageFile from Import-CapnpMessage and Get-CapnpSchema, at once, for a .NET type description nested 10,000 levels' {
        $clr = [CapMap.Schema.Inference.ClrTypeInfo]::Scalar('String')
        for ($i = 0; $i -lt 10000; $i++) { $clr = [CapMap.Schema.Inference.ClrTypeInfo]::new('List', $null, $clr) }
        $field = [CapMap.Schema.Inference.InferredField]::new('value', [CapMap.Schema.Inference.InferredType]::Of('Text'), $clr)
        $record = [CapMap.Schema.Inference.InferredStruct]::new('Row', [CapMap.Schema.Inference.InferredField[]] @($field))
        $file = Join-Path $TestDrive 'deep-clr.bin'
        New-FileCarrying $file ([CapMap.Schema.Inference.InferredSchema]::new($record))

        $rows = Import-CapnpMessage -LiteralPath $file -ErrorVariable importErrors -ErrorAction SilentlyContinue
        @($rows).Count | Should -Be 0
        $importErrors.Count | Should -Be 1
        $importErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        $importErrors[0].Exception.Message | Should -Match 'deeper than 64'
        Get-CapnpSchema -LiteralPath $file -ErrorVariable schemaErrors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $schemaErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
    }
}

Describe 'A message that is not complete, and a truncated one' -Tag 'Reliability' {
    It 'warns, naming the message and its state, and reads the records of its last checkpoint' {
        $file = Join-Path $TestDrive 'checkpoint.bin'
        $m = New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch -Reserve 64MB
        try {
            1..1000 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
            $null = Save-CapnpMappedMessage -Message $m
            1001..1500 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m

            $rows = Import-CapnpMessage -LiteralPath $file -WarningVariable warnings -WarningAction SilentlyContinue
            @($rows).Count | Should -Be 1000
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match "Message 0 of '.*checkpoint\.bin' is not complete \(state Checkpoint"
            "$($warnings[0])" | Should -Match '1,000 record'
            $null = Complete-CapnpMappedMessage -Message $m
        }
        finally { $m.Dispose() }
        # Completed: every record, and no warning.
        Import-CapnpMessage -LiteralPath $file -WarningVariable after -WarningAction SilentlyContinue | Should -HaveCount 1500
        $after.Count | Should -Be 0
    }

    It 'is InvalidMessageFile from Import-CapnpMessage and from Get-CapnpMessageInfo, which still describes it' {
        $file = Join-Path $TestDrive 'truncated.bin'
        1..2000 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        $length = (Get-Item $file).Length
        $fs = [IO.File]::Open($file, 'Open', 'ReadWrite'); $fs.SetLength($length - 8); $fs.Dispose()

        $rows = Import-CapnpMessage -LiteralPath $file -ErrorVariable importErrors -ErrorAction SilentlyContinue
        @($rows).Count | Should -Be 0
        $importErrors.Count | Should -Be 1
        $importErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        $importErrors[0].Exception.Message | Should -Match 'Message 0 of .* is truncated'

        $info = Get-CapnpMessageInfo -LiteralPath $file -ErrorVariable infoErrors -ErrorAction SilentlyContinue
        $info.IsTruncated | Should -BeTrue
        $infoErrors.Count | Should -Be 1
        $infoErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        $infoErrors[0].Exception.Message | Should -Be $importErrors[0].Exception.Message
    }
}

Describe 'A file that claims more values than it stores (amplification)' -Tag 'Reliability' {
    BeforeAll {
        $script:EmptySchemaFile = Join-Path $TestDrive 'empty.capnp'
        Set-Content -LiteralPath $EmptySchemaFile -Value "@0xd1f0a5b4c3e2f101;`nstruct Empty {}`nstruct Root { items @0 :List(Empty); }"
        $script:EmptySchema = Import-CapnpSchema -LiteralPath $EmptySchemaFile
        $script:Claims = Join-Path $TestDrive 'claims.bin'
        New-ZeroSizeListFile $Claims 70000
    }

    It 'stops at the default budget (the file''s words plus 64 Ki) with InvalidMessageFile naming -TraversalLimit' {
        (Get-Item $Claims).Length | Should -Be 32
        $rows = Import-CapnpMessage -LiteralPath $Claims -Schema $EmptySchema -RootType Root -ErrorVariable importErrors -ErrorAction SilentlyContinue
        @($rows).Count | Should -Be 0
        $importErrors.Count | Should -Be 1
        $importErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        $importErrors[0].Exception.Message | Should -Match 'TraversalLimit'
        $importErrors[0].Exception.Message | Should -Match 'zero size'
    }

    It 'reads every element with a -TraversalLimit that covers them, and not with one short of it' {
        @(Import-CapnpMessage -LiteralPath $Claims -Schema $EmptySchema -RootType Root -TraversalLimit 70010).Count | Should -Be 70000
        { Import-CapnpMessage -LiteralPath $Claims -Schema $EmptySchema -RootType Root -TraversalLimit 69999 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMessageFile,*'
    }

    It 'shares one budget among the messages of a file, so many small messages do not multiply it' {
        $stream = Join-Path $TestDrive 'claims-stream.bin'
        $one = [IO.File]::ReadAllBytes($Claims)
        New-ZeroSizeListFile $Claims 40000
        $one = [IO.File]::ReadAllBytes($Claims)
        [IO.File]::WriteAllBytes($stream, [byte[]] ($one + $one))
        New-ZeroSizeListFile $Claims 70000
        # Each message alone fits 64 Ki; the two together do not.
        $rows = Import-CapnpMessage -LiteralPath $stream -Schema $EmptySchema -RootType Root -ErrorVariable streamErrors -ErrorAction SilentlyContinue
        @($rows).Count | Should -Be 40000
        $streamErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
    }
}

Describe 'A symbolic link where New-CapnpMappedMessage or Export-CapnpMessage creates a file' -Tag 'Reliability' {
    BeforeEach {
        $script:Victim = Join-Path $TestDrive "victim$(Get-Random).txt"
        Set-Content -LiteralPath $Victim -Value 'not yours'
        $script:Link = Join-Path $TestDrive "link$(Get-Random).bin"
        $null = New-Item -ItemType SymbolicLink -Path $Link -Target $Victim
    }

    It 'is replaced by -Force (Export): the link becomes the new file and the file it named is untouched' {
        1..3 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -LiteralPath $Link -Schema $Schema -RootType Batch -Force
        Get-Content -LiteralPath $Victim | Should -Be 'not yours'
        (Get-Item -LiteralPath $Link).LinkType | Should -BeNullOrEmpty
        (ConvertFrom-CapnpFile $Link).records.Count | Should -Be 3
    }

    It 'is replaced by -Force (New): the link becomes the new file and the file it named is untouched' {
        $m = New-CapnpMappedMessage -LiteralPath $Link -Schema $Schema -RootType Batch -Reserve 16MB -Force
        $m.Dispose()
        Get-Content -LiteralPath $Victim | Should -Be 'not yours'
        (Get-Item -LiteralPath $Link).LinkType | Should -BeNullOrEmpty
    }

    It 'is FileExists without -Force, dangling or not, and stays a link' {
        { New-CapnpMappedMessage -LiteralPath $Link -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'FileExists,*'
        Remove-Item -LiteralPath $Victim
        { 1 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -LiteralPath $Link -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'FileExists,*'
        (Get-Item -LiteralPath $Link -Force).LinkType | Should -Be 'SymbolicLink'
        $Victim | Should -Not -Exist
    }
}
