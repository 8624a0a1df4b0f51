import LLMDevOpsTestSupport
import Testing

/// The trait the computing suites rely on to leave the cooperative threads alone.
@Suite struct OwnThreadTraitTests {
    @Test(.ownThread) func aSyncBodyRunsOnTheTestsOwnThread() {
        #expect(OwnThreadTrait.isCurrentThread)
    }

    @Test(.ownThread) func anAsyncBodyStaysOnItAcrossSuspensions() async {
        for _ in 0..<3 {
            await Task.yield()
            #expect(OwnThreadTrait.isCurrentThread)
        }
    }

    @Test func withoutTheTraitABodyRunsOnACooperativeThread() {
        #expect(!OwnThreadTrait.isCurrentThread)
    }
}
