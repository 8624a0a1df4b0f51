import Foundation
import LLMDevOpsCollectors
import LLMDevOpsFuzzSupport
import LLMDevOpsMetrics
import NIOCore
import NIOEmbedded

@testable import LLMDevOpsMetricsServer

/// The sidecar's line framing and message decoder (`Sources/LLMDevOpsMetricsServer/Sidecar/`).
///
/// Input: one byte picks `max_line_bytes`, one seeds how the stream is cut into reads, the
/// rest is the byte stream a client sends before its end of file. Properties:
/// - framing: `SidecarLineDecoder` yields exactly the frames of a plain reference splitter
///   (lines, one `tooLong` per over-long line, `truncated` for a short last piece), however
///   the stream is cut into reads;
/// - every line the decoder accepts re-encodes with `SidecarLineEncoder` to one line (no
///   raw newline, finite numbers) that decodes again, and encoding that gives the same bytes:
///   an accepted message survives the emitter's encoding exactly, numbers included;
/// - durations decoded from `*_seconds` are the sent numbers to within rounding to attoseconds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSidecarLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let maxLineBytes = input.pick([8, 64, 300, 65_536])
    var cuts = SplitMix64(seed: UInt64(input.byte()))
    let stream = input.remaining()

    let frames = decodeFrames(stream, maxLineBytes: maxLineBytes, cuts: &cuts)
    let expected = referenceFrames(stream, maxLineBytes: maxLineBytes)
    fuzzCheck(
        frames == expected,
        "framing of \(quoted(stream)) with max \(maxLineBytes): decoder \(frames), reference \(expected)"
    )

    let decoder = SidecarMessageDecoder()
    for case .line(let line) in frames {
        guard let message = try? decoder.decode(Data(line)) else { continue }
        checkRoundTrip(message, line: line, decoder: decoder)
    }
    return 0
}

/// A frame, comparable.
enum Frame: Equatable, CustomStringConvertible {
    case line([UInt8])
    case tooLong
    case truncated

    var description: String {
        switch self {
        case .line(let bytes): "line(\(quoted(bytes)))"
        case .tooLong: "tooLong"
        case .truncated: "truncated"
        }
    }
}

/// The frames `SidecarLineDecoder` produces in a channel, with the stream written in pieces
/// and the end of file delivered as the listener sees it (remote half-closure).
func decodeFrames(_ stream: [UInt8], maxLineBytes: Int, cuts: inout SplitMix64) -> [Frame] {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(SidecarLineDecoder(maxLineBytes: maxLineBytes)))
    var frames: [Frame] = []
    func drain() {
        while let frame = try? channel.readInbound(as: SidecarFrame.self) {
            switch frame {
            case .line(let buffer): frames.append(.line(Array(buffer.readableBytesView)))
            case .tooLong: frames.append(.tooLong)
            case .truncated: frames.append(.truncated)
            }
        }
    }
    var offset = 0
    while offset < stream.count {
        let end = min(stream.count, offset + 1 + Int(cuts.next() % 97))
        do {
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
        } catch {
            fuzzCheck(false, "writeInbound threw \(error)")
        }
        drain()
        offset = end
    }
    channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    drain()
    _ = try? channel.finish()
    drain()
    return frames
}

/// The framing rules written plainly: `\n` ends a line; empty lines are skipped; a line
/// longer than `maxLineBytes` is one `tooLong`; a non-empty unterminated end is `truncated`
/// (or `tooLong` when it is itself too long).
func referenceFrames(_ stream: [UInt8], maxLineBytes: Int) -> [Frame] {
    var frames: [Frame] = []
    var pieces = stream.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    let last = pieces.removeLast()  // after the final newline (empty when the stream ends with one)
    for line in pieces where !line.isEmpty {
        frames.append(line.count > maxLineBytes ? .tooLong : .line(line))
    }
    if !last.isEmpty {
        frames.append(last.count > maxLineBytes ? .tooLong : .truncated)
    }
    return frames
}

func checkRoundTrip(_ message: SidecarMessage, line: [UInt8], decoder: SidecarMessageDecoder) {
    var encoded: [UInt8] = []
    let written: Bool
    switch message {
    case .llm(let event): written = SidecarLineEncoder.append(event, to: &encoded)
    case .agent(let event): written = SidecarLineEncoder.append(event, to: &encoded)
    }
    fuzzCheck(written, "an accepted message cannot be encoded: \(message) from \(quoted(line))")
    fuzzCheck(encoded.last == UInt8(ascii: "\n"), "encoded line does not end with a newline: \(quoted(encoded))")
    let body = Array(encoded.dropLast())
    fuzzCheck(!body.contains(UInt8(ascii: "\n")), "encoded line contains a raw newline: \(quoted(encoded))")

    let again: SidecarMessage
    do {
        again = try decoder.decode(Data(body))
    } catch {
        fuzzCheck(false, "re-encoded line rejected (\(error)): \(quoted(body)) from \(quoted(line))")
        return
    }
    var reencoded: [UInt8] = []
    switch again {
    case .llm(let event): SidecarLineEncoder.append(event, to: &reencoded)
    case .agent(let event): SidecarLineEncoder.append(event, to: &reencoded)
    }
    fuzzCheck(
        reencoded == encoded,
        "encoding is not stable: \(quoted(encoded)) decodes and encodes to \(quoted(reencoded)) (from \(quoted(line)))"
    )
    fuzzCheck(sameKind(message, again), "re-encoding changed the message: \(message) became \(again)")

    // Durations: the decoded value is the sent number, rounded to whole attoseconds.
    if let wire = try? JSONDecoder().decode(SidecarWireMessage.self, from: Data(line)) {
        for (sent, decoded) in durations(wire, message) {
            let tolerance = max(1e-18, abs(sent) * 1e-15)
            fuzzCheck(
                abs(decoded.seconds - sent) <= tolerance,
                "duration \(sent) decoded as \(decoded) (\(decoded.seconds)) from \(quoted(line))"
            )
        }
    }
}

/// The same case and names (everything but numbers, which the byte comparison covers).
func sameKind(_ lhs: SidecarMessage, _ rhs: SidecarMessage) -> Bool {
    var left: [UInt8] = []
    var right: [UInt8] = []
    switch (lhs, rhs) {
    case (.llm(let a), .llm(let b)):
        SidecarLineEncoder.append(a, to: &left)
        SidecarLineEncoder.append(b, to: &right)
    case (.agent(let a), .agent(let b)):
        SidecarLineEncoder.append(a, to: &left)
        SidecarLineEncoder.append(b, to: &right)
    default:
        return false
    }
    return left == right
}

/// The `*_seconds` fields of a decoded message with the numbers they were decoded from.
func durations(_ wire: SidecarWireMessage, _ message: SidecarMessage) -> [(Double, Duration)] {
    switch message {
    case .llm(.requestFinished(let request)):
        var pairs: [(Double, Duration)] = []
        if let sent = wire.durationSeconds { pairs.append((sent, request.duration)) }
        if let sent = wire.ttftSeconds, let ttft = request.timeToFirstToken { pairs.append((sent, ttft)) }
        return pairs
    case .llm(.queueDuration(_, let duration)), .agent(.toolCall(_, _, let duration, _)):
        return wire.durationSeconds.map { [($0, duration)] } ?? []
    case .agent(.executionFinished(let run)):
        return wire.durationSeconds.map { [($0, run.duration)] } ?? []
    default:
        return []
    }
}
