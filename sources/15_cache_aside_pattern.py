"""15. Cache Aside Pattern: the application reads through a cache it fills itself and invalidates on write."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=15,
    title="Cache Aside Pattern",
    description=(
        "Cache-aside pattern implementation with cache miss handling, data loading, and cache population."
    ),
    scores=Scores(solution_quality=8, implementation_difficulty=5, performance_level="Very High"),
    when_to_use=[
        "Performance optimization",
        "Database load reduction",
        "Frequently accessed data",
        "Read-heavy applications",
    ],
    important_points=[
        "Handle cache misses gracefully",
        "Implement cache invalidation",
        "Monitor cache hit rates",
        "Consider cache warming",
        "Handle cache failures",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "Performance & Scalability", "Performance optimization"),
        GuideEntry("Implementation Complexity", "Low Complexity (1-4/10)", "Simple caching"),
        GuideEntry("Performance Levels", "Very High Performance", "Data caching"),
    ],
)

client = flow.actor("Client")
app = flow.participant("Product Service")
cache = flow.database("Redis Cache")
db = flow.database("Product DB")
metrics = flow.participant("Metrics")

flow.divider("Read: GET /products/42")
with client.call(app, "GET /products/42") as read:
    with app.call(cache, "GET product:42\n(timeout 50 ms)") as lookup:
        with flow.alt("cache hit"):
            lookup.reply("product JSON")
            app.send(metrics, "cache.hit")
            read.reply("200 OK (from cache)")
        with flow.else_("cache miss"):
            lookup.reply("nil")
            app.send(metrics, "cache.miss")
            with app.call(db, "SELECT * FROM products\nWHERE id = 42") as load:
                load.reply("product row")
            with app.call(cache, "SET product:42 <json>\nEX 300 (TTL 5 min)") as populate:
                populate.reply("OK")
            flow.note("TTL bounds staleness if an\ninvalidation is ever lost", right_of=cache)
            read.reply("200 OK (from DB)")
        with flow.else_("cache down (error / timeout)"):
            lookup.reply("connection refused")
            app.send(metrics, "cache.error")
            with app.call(db, "SELECT * FROM products\nWHERE id = 42") as fallback:
                fallback.reply("product row")
            read.reply("200 OK (degraded: from DB)")
flow.note("cache down: serve from the DB, skip\nthe SET, trip a breaker so the DB\nis not flooded", over=[app, db])

flow.divider("Write: PUT /products/42")
with client.call(app, "PUT /products/42") as write:
    with app.call(db, "UPDATE products SET ...\nWHERE id = 42") as update:
        update.reply("1 row, committed")
    with app.call(cache, "DEL product:42\n(invalidate after commit)") as invalidate:
        invalidate.reply("1")
    write.reply("204 No Content")
flow.note("delete, don't update, the entry:\na racing writer then cannot leave\na stale value behind",
          over=[app, cache])

flow.divider("Warm-up on deploy")
flow.found(app, "deploy hook: warm hot keys")
with flow.loop("for each of the top 1 000 keys"):
    with app.call(db, "SELECT hot product") as warm_load:
        warm_load.reply("row")
    with app.call(cache, "SET product:<id> EX 300") as warm_set:
        warm_set.reply("OK")
with flow.loop("every 60 s"):
    metrics.step("hit ratio = hits / (hits + misses)\nalert if < 80 %")
