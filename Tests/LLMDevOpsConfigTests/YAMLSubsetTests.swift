import Testing

@Suite struct YAMLSubsetTests {
    @Test func readsMappingsSequencesAndScalars() throws {
        let value = try YAMLSubset.parse("""
            # comment
            groups:
              - name: g # trailing comment
                rules:
                  - record: a:b:c
                    expr: sum(x)
                  - alert: A
                    expr: |
                      x > 1
                        and y
                    labels:
                      severity: 'warn''s'
                    annotations:
                      summary: "say \\"hi\\" # not a comment"
            files: [a.yml, "b.yml"]
            empty: []
            top:
            - one
            - two

            """)
        let rules = value["groups"]?.items.first?["rules"]?.items ?? []
        #expect(value["groups"]?.items.first?["name"] == .scalar("g"))
        #expect(rules.count == 2)
        #expect(rules[0]["record"] == .scalar("a:b:c"))
        #expect(rules[1]["expr"] == .scalar("x > 1\n  and y\n"))
        #expect(rules[1]["labels"]?["severity"] == .scalar("warn's"))
        #expect(rules[1]["annotations"]?["summary"] == .scalar(#"say "hi" # not a comment"#))
        #expect(value["files"] == .sequence([.scalar("a.yml"), .scalar("b.yml")]))
        #expect(value["empty"] == .sequence([]))
        #expect(value["top"] == .sequence([.scalar("one"), .scalar("two")]))
    }

    @Test(arguments: [
        ("a:\n\tb: 1\n", "tabs"),
        ("a: 1\n   b: 2\n", "unexpected indentation"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: \"open\n", "unterminated double-quoted"),
        ("a: {b: 1}\n", "flow mappings"),
        ("a: &anchor 1\n", "anchors"),
    ])
    func rejectsWhatItDoesNotUnderstand(text: String, reason: String) {
        #expect {
            _ = try YAMLSubset.parse(text)
        } throws: { error in
            (error as? YAMLSubsetError)?.reason.contains(reason) == true
        }
    }
}
