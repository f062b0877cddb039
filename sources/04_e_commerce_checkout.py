"""4. E-commerce Checkout: cart, stock reservation, payment with release on decline, order, async confirmation."""

from diagram_dsl import Flow, GuideEntry, Scores

flow = Flow(
    number=4,
    title="E-commerce Checkout",
    description=(
        "Complete e-commerce checkout process with inventory validation, payment processing, "
        "and order confirmation."
    ),
    scores=Scores(solution_quality=9, implementation_difficulty=8, performance_level="Medium"),
    when_to_use=[
        "E-commerce platforms",
        "Online marketplaces",
        "Subscription services",
        "Digital product sales",
    ],
    important_points=[
        "Validate inventory availability",
        "Handle payment failures gracefully",
        "Implement transaction rollback",
        "Ensure data consistency",
        "Provide order confirmation",
    ],
    guides=[
        GuideEntry("Selection Guide by Use Case", "E-commerce & Transactions", "Online purchase flows"),
        GuideEntry("Performance Levels", "Medium Performance", "Transaction processing"),
        GuideEntry("Business Domain Applications", "E-commerce", "Purchase processing"),
    ],
)

customer = flow.actor("Customer")
store = flow.boundary("Storefront")
checkout = flow.control("Checkout Service")
cart = flow.participant("Cart Service")
inventory = flow.participant("Inventory Service")
payments = flow.participant("Payment Gateway")
orders = flow.database("Order DB")
notifier = flow.participant("Notification Service")

with customer.call(store, "Place order") as place:
    with store.call(checkout, "POST /checkout\n(cart id, Idempotency-Key)") as post:
        with checkout.call(cart, "get cart") as get_cart:
            get_cart.reply("items, quantities")
        checkout.step("re-price on the server\n(prices, tax, shipping)")
        with checkout.call(inventory, "reserve items\n(hold 15 min)") as reserve:
            inventory.step("check + decrement\navailable stock")
            reserve.reply("reservation id | shortage")
        with flow.break_("items out of stock"):
            post.reply("409 Conflict: items unavailable")
            place.reply("update your cart")
        with checkout.call(payments, "authorize + capture\n(amount, card token)") as pay:
            pay.reply("approved | declined")
        with flow.alt("payment approved"):
            with checkout.call(orders, "INSERT order PAID\n+ lines (one transaction)") as insert:
                insert.reply("order id")
            checkout.call(inventory, "commit reservation").reply("stock committed")
            checkout.call(cart, "clear cart").reply("ok")
            checkout.send(notifier, "OrderPlaced(order id)")
            post.reply("201 Created (order id)")
            place.reply("order confirmed page")
        with flow.else_("payment declined"):
            with checkout.call(inventory, "release reservation") as release:
                release.reply("stock released")
            post.reply("402 Payment declined")
            place.reply("try another payment method")
flow.note("same Idempotency-Key on retry:\nno second charge, same order", over=[store, checkout])
flow.note("if the INSERT fails after capture:\nrefund and release (compensate)", over=[payments, orders])
notifier.send(customer, "confirmation e-mail\n(order id, items, total)")
