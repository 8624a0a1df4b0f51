import HTTPTypes
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import ServiceLifecycle
import Testing

/// Rate limit, concurrency limit, scrape timeout and readiness over a real socket.
@Suite struct LimitsTests {
    @Test func rateLimitAnswers429AfterTheBurst() async throws {
        let configuration = RunningServer.configuration {
            $0.rateLimit.enabled = true
            $0.rateLimit.burst = 3
            $0.rateLimit.requestsPerSecond = 0.01
        }
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                for _ in 0..<3 {
                    let observed1 = try await client.fetch(server.url("/metrics")).status
                    #expect(observed1 == 200)
                }
                let limited = try await client.fetch(server.url("/metrics"))
                #expect(limited.status == 429)
                let retryAfter = try #require(limited.header("Retry-After").flatMap(Int.init))
                #expect(retryAfter >= 1 && retryAfter <= 100)
                // Probes are not rate-limited.
                let observed2 = try await client.fetch(server.url("/health")).status
                #expect(observed2 == 200)
                // The rejection is counted (read through the framework-neutral handler, which
                // is not rate-limited by the socket client's bucket... it is: use another client key).
                let body = await server.handler.handle(
                    MetricsHTTPRequest(method: .get, path: "/metrics", remoteAddress: "192.0.2.1")
                )
                #expect(String(decoding: body.body, as: UTF8.self).contains("llmdevops_exporter_rate_limited_total 1"))
            }
        }
    }

    @Test func tokenBucketsArePerClientAndRefill() {
        let time = ManualMetricsClock()
        let limiter = TokenBucketRateLimiter(requestsPerSecond: 2, burst: 2, clock: time.clock)
        #expect(limiter.acquire(client: "a") == .allowed)
        #expect(limiter.acquire(client: "a") == .allowed)
        #expect(limiter.acquire(client: "a") == .limited(retryAfterSeconds: 1))
        #expect(limiter.acquire(client: "b") == .allowed)
        time.advance(by: .milliseconds(500))
        #expect(limiter.acquire(client: "a") == .allowed)
        #expect(limiter.acquire(client: "a") == .limited(retryAfterSeconds: 1))
    }

    @Test func tokenBucketMemoryIsBounded() {
        let time = ManualMetricsClock()
        let limiter = TokenBucketRateLimiter(requestsPerSecond: 1, burst: 1, maxClients: 100, clock: time.clock)
        for client in 0..<1000 { _ = limiter.acquire(client: "client-\(client)") }
        #expect(limiter.clientCount <= 100)
    }

    @Test func overMaxInFlightAnswers503() async throws {
        let collector = try HeldCollector()
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.register(collector: collector)
        let configuration = RunningServer.configuration { $0.limits.maxConcurrentScrapes = 1 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                // Wait for the readiness service's first collection, then hold the next one.
                var runs = collector.startedRuns.makeAsyncIterator()
                _ = await runs.next()
                collector.hold()
                // Held by the test until it releases the collector, however long the 503 path takes.
                async let slow = client.fetch(server.url("/metrics"), timeout: TestHTTPClient.heldTimeout)
                _ = await runs.next()  // the slow scrape is collecting now
                let rejected = try await client.fetch(server.url("/metrics"))
                #expect(rejected.status == 503)
                #expect(rejected.header("Retry-After") == "1")
                collector.release()
                let completed = try await slow
                #expect(completed.status == 200)
                let body = try await client.fetch(server.url("/metrics")).text
                #expect(body.contains(#"llmdevops_exporter_scrapes_total{format="text",code="503"} 1"#))
            }
        }
    }

    /// A fresh cached body is served without a concurrency slot; a scrape that has to render
    /// still needs one. With one slot held by a slow render of the text body, the OpenMetrics
    /// body (fresh in the cache) is served while another text scrape is refused.
    @Test func freshCachedBodiesNeedNoConcurrencySlot() async throws {
        let collector = try HeldCollector()
        let time = ManualMetricsClock()
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .seconds(1), clock: time.clock))
        try await registry.register(collector: collector)
        let configuration = RunningServer.configuration { $0.limits.maxConcurrentScrapes = 1 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                let openMetrics = [("Accept", "application/openmetrics-text; version=1.0.0")]
                var runs = collector.startedRuns.makeAsyncIterator()
                _ = await runs.next()  // the readiness service's first collection has started
                // A text scrape joins (or follows) that render, so the text body is cached before
                // the clock moves on.
                #expect(try await client.fetch(server.url("/metrics")).status == 200)
                time.advance(by: .milliseconds(1100))  // every cached body is stale now
                let cached = try await client.fetch(server.url("/metrics"), headers: openMetrics)
                #expect(cached.status == 200)
                time.advance(by: .milliseconds(500))  // OpenMetrics (rendered 500 ms ago) is fresh, text is not

                collector.hold()
                let before = collector.runCount
                // Held by the test until it releases the collector, however long the 503 path takes.
                async let slow = client.fetch(server.url("/metrics"), timeout: TestHTTPClient.heldTimeout)
                while collector.runCount <= before { _ = await runs.next() }  // the slow render holds the slot

                let fromCache = try await client.fetch(server.url("/metrics"), headers: openMetrics)
                #expect(fromCache.status == 200)
                #expect(fromCache.body == cached.body)
                let refused = try await client.fetch(server.url("/metrics"))
                #expect(refused.status == 503)
                #expect(refused.header("Retry-After") == "1")
                collector.release()
                #expect(try await slow.status == 200)
            }
        }
    }

    @Test func scrapeTimeoutServesTheLastGoodBody() async throws {
        let collector = try HeldCollector()
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.register(collector: collector)
        let configuration = RunningServer.configuration { $0.limits.scrapeTimeoutOffsetMilliseconds = 100 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                var runs = collector.startedRuns.makeAsyncIterator()
                _ = await runs.next()  // readiness collection
                collector.hold()
                // No good body yet for this format: 503 after the timeout (0.3 s - 0.1 s offset).
                // The collection is held until after the answer arrives, so an answer at all
                // shows the handler gave up at its deadline (no wall-clock bound needed).
                let timeout = [("X-Prometheus-Scrape-Timeout-Seconds", "0.3"), ("Accept", "application/openmetrics-text")]
                let first = try await client.fetch(server.url("/metrics"), headers: timeout)
                #expect(first.status == 503)
                collector.release()
                let good = try await client.fetch(server.url("/metrics"), headers: [("Accept", "application/openmetrics-text")])
                #expect(good.status == 200)
                #expect(good.header("X-LLMDevOps-Stale") == nil)
                collector.hold()
                let stale = try await client.fetch(server.url("/metrics"), headers: timeout)
                #expect(stale.status == 200)
                #expect(stale.header("X-LLMDevOps-Stale") == "true")
                #expect(stale.body == good.body)
                collector.release()
            }
        }
    }

    @Test func scrapeTimeoutHeaderIsBoundedByTheConfiguration() async throws {
        let registry = RegistryActor()
        let configuration = RunningServer.configuration {
            $0.limits.scrapeTimeoutMilliseconds = 2000
            $0.limits.scrapeTimeoutOffsetMilliseconds = 500
        }
        let handler = try await MetricsHTTPHandler(registry: registry, configuration: configuration)
        #expect(handler.scrapeTimeout(header: nil) == .milliseconds(2000))
        #expect(handler.scrapeTimeout(header: "10") == .milliseconds(2000))
        #expect(handler.scrapeTimeout(header: "1.5") == .milliseconds(1000))
        #expect(handler.scrapeTimeout(header: "0.4") == .milliseconds(200))
        #expect(handler.scrapeTimeout(header: "garbage") == .milliseconds(2000))
        #expect(handler.scrapeTimeout(header: "-1") == .milliseconds(2000))
    }

    @Test func readyFlipsAfterTheFirstCollectionAndDuringShutdown() async throws {
        let collector = try HeldCollector(holding: true)
        let registry = RegistryActor()
        try await registry.register(collector: collector)
        let configuration = RunningServer.configuration { $0.lifecycle.shutdownDelayMilliseconds = 1500 }
        try await RunningServer.with(configuration, registry: registry) { server in
            try await TestHTTPClient.with { client in
                var runs = collector.startedRuns.makeAsyncIterator()
                _ = await runs.next()  // the first collection is held
                let starting = try await client.fetch(server.url("/ready"))
                #expect(starting.status == 503)
                #expect(starting.text.contains("no collection yet"))
                let observed3 = try await client.fetch(server.url("/health")).status
                #expect(observed3 == 200)
                collector.release()
                #expect(try await poll(client, server.url("/ready"), until: 200))
                await server.group.triggerGracefulShutdown()
                // The listener keeps serving during the shutdown delay, with /ready at 503.
                #expect(try await poll(client, server.url("/ready"), until: 503))
                let draining = try await client.fetch(server.url("/ready"))
                #expect(draining.text.contains("shutting down"))
                let observed4 = try await client.fetch(server.url("/health")).status
                #expect(observed4 == 200)
            }
        }
    }

    /// Polls `url` (bounded: 200 tries, 25 ms apart) until it answers `status`.
    func poll(_ client: TestHTTPClient, _ url: String, until status: Int) async throws -> Bool {
        for _ in 0..<200 {
            if try await client.fetch(url).status == status { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    /// Slowloris-style partial request heads and silent connections, more of them than the
    /// scrape limit, cannot starve a real scrape, and the idle timeout closes every one of them.
    @Test(.timeLimit(minutes: 1))
    func slowAndHalfOpenClientsCannotStarveScrapes() async throws {
        let configuration = RunningServer.configuration {
            $0.limits.idleTimeoutMilliseconds = 500
            $0.limits.maxConcurrentScrapes = 10
        }
        try await RunningServer.with(configuration) { server in
            var held: [RawConnection] = []
            for index in 0..<25 {
                let connection = try #require(RawConnection(port: server.port))
                if index < 20 {
                    #expect(connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "))
                }
                held.append(connection)
            }
            try await TestHTTPClient.with { client in
                let scrape = try await client.fetch(server.url("/metrics"))
                #expect(scrape.status == 200)
            }
            // Every held connection is closed by the server within the idle timeout (bounded wait).
            let deadline = ContinuousClock.now + .seconds(5)
            var closed = 0
            for connection in held {
                let left = max(.zero, deadline - ContinuousClock.now)
                if await connection.waitForClose(milliseconds: Int32(left.components.seconds * 1000) + 1) { closed += 1 }
            }
            #expect(closed == held.count)
            print("hostile-clients: probe=slowloris sent=\(held.count) outcomes=closed_by_idle_timeout:\(closed),open:\(held.count - closed)")
            try await TestHTTPClient.with { client in
                let health = try await client.fetch(server.url("/health"))
                let metrics = try await client.fetch(server.url("/metrics"))
                #expect(health.status == 200)
                #expect(metrics.status == 200)
            }
        }
    }

    @Test func oversizedHeadersAreRefused() async throws {
        let configuration = RunningServer.configuration { $0.limits.maxHeaderBytes = 2048 }
        try await RunningServer.with(configuration) { server in
            try await TestHTTPClient.with { client in
                let big = String(repeating: "x", count: 4096)
                let outcome: Int
                do {
                    outcome = try await client.fetch(server.url("/metrics"), headers: [("X-Padding", big)]).status
                } catch {
                    outcome = -1  // the server closed the connection
                }
                #expect(outcome != 200)
                // The server still serves normal requests.
                let observed5 = try await client.fetch(server.url("/metrics")).status
                #expect(observed5 == 200)
            }
        }
    }
}
