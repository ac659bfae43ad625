from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..const import CHARGE_TYPES, DISPUTE_CATEGORIES, FEE_TYPES, PAYOUT_TYPES, REFUND_TYPES
from ..utils import stripe_date, stripe_id, to_major_currency_units


class ServiceStripePayout(models.AbstractModel):
    """Stripe's payouts and the balance transactions behind them, in the Stripe journal.

    The Stripe journal's account stands for Stripe's balance. A customer payment waits in the
    outstanding receipts account until the payout that contains its charge moves it into the
    Stripe account (reconciled with the payment: never counted twice); Stripe's fees go to the
    fee account of the settings, refunds leave through the refund payments, the disputes are
    already booked by their own events, and the net payout goes to the company's liquidity
    transfer account, open until the bank statement line of the payout is matched with it.
    Once every balance transaction is in a booked payout, the Stripe account's balance is
    Stripe's balance.
    """

    _name = "service.stripe.payout"
    _description = "Stripe Payouts"

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    @api.model
    def _transfer_account(self, company):
        account = company.sudo().transfer_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Company %(company)s has no internal transfer account (Accounting settings): "
                    "Stripe payouts are booked through it.",
                    company=company.name,
                )
            )
        return account

    # ------------------------------------------------------------------
    # Payouts
    # ------------------------------------------------------------------

    @api.model
    def _payout_entry(self, payout_id, step="paid"):
        return (
            self.env["account.move"]
            .sudo()
            .search([("service_stripe_payout_key", "=", f"{payout_id}:{step}")], limit=1)
        )

    @api.model
    def _record_payout(self, payout, failed=False):
        """Book a payout once: its balance transactions and the transfer to the bank; a failed
        payout's transfer is reversed (its money is back in Stripe's balance).

        Works in any order of ``payout.paid`` and ``payout.failed``: a payout seen failed
        first is booked and reversed at once.

        :param dict payout: the Stripe payout (as the event sends it)
        :return: the entries booked by this call, or a reason why nothing was
        """
        entry = self._payout_entry(payout["id"])
        booked = self.env["account.move"]
        if not entry:
            entry = booked = self._book_payout(payout)
        if failed and not self._payout_entry(payout["id"], "failed"):
            booked |= self._book_payout_failure(entry, payout)
        if not booked:
            return self.env._("Payout %(payout)s is already booked.", payout=payout["id"])
        return booked

    @api.model
    def _balance_transactions(self, payout_id):
        """The balance transactions a payout paid out, their sources expanded."""
        client = self.env["payment.provider"]._service_stripe_client()
        listing = client.v1.balance_transactions.list(
            params={"payout": payout_id, "limit": 100, "expand": ["data.source"]}
        )
        return [tx.to_dict() for tx in listing.auto_paging_iter()]

    @api.model
    def _book_payout(self, payout):
        company = self.env["payment.provider"]._service_stripe_provider().company_id or (
            self.env.company
        )
        journal = self.env["account.journal"]._service_stripe_journal(company)
        stripe_account = journal.default_account_id
        bank_journal = self.env["account.journal"]._service_stripe_payout_journal(company)
        transfer_account = self._transfer_account(company)
        currency = self.env["account.move"]._service_stripe_currency(
            payout.get("currency"), payout["id"]
        )
        date = stripe_date(payout.get("arrival_date")) or fields.Date.context_today(self)
        label = self.env._(
            "Stripe payout %(payout)s to %(bank)s", payout=payout["id"], bank=bank_journal.name
        )
        lines, matches = [], []

        # The Stripe account's side of the lines is summed by kind: one line per payment
        # settled (each one reconciled with its payment), a handful on the Stripe account.
        stripe_side = {}

        def add(account, amount, name, side, partner=None, match=None):
            """A line of ``amount`` (major units, debit if positive), its Stripe side under
            the label ``side``."""
            amount = currency.round(amount)  # sums of many amounts: no float residue
            if currency.is_zero(amount):
                return
            balance = currency._convert(amount, company.currency_id, company, date)
            lines.append(
                {
                    "currency_id": currency.id,
                    "name": name,
                    "account_id": account.id,
                    "partner_id": partner.id if partner else False,
                    "amount_currency": amount,
                    "balance": balance,
                }
            )
            matches.append(match)
            total = stripe_side.setdefault(side, [0.0, 0.0])
            total[0] += amount
            total[1] += balance

        notes = []
        fees, fee_count = 0.0, 0
        money_in = self.env._("Charges and other money in")
        money_out = self.env._("Refunds and other money out")
        for tx in self._balance_transactions(payout["id"]):
            if tx.get("currency") != payout.get("currency"):
                raise UserError(
                    self.env._(
                        "Balance transaction %(tx)s of payout %(payout)s is in %(currency)s, "
                        "not in the payout's currency: not supported.",
                        tx=tx.get("id"),
                        payout=payout["id"],
                        currency=tx.get("currency"),
                    )
                )
            source = tx.get("source")
            source_id = stripe_id(source)
            if tx.get("type") == "payout" and source_id == payout["id"]:
                continue  # the payout itself: its transfer is booked below
            amount = to_major_currency_units(tx.get("amount"), currency)
            fee = to_major_currency_units(tx.get("fee"), currency)
            name = f"{tx.get('type')} {source_id or tx.get('id')}"
            account, partner, match, note = self.with_context(
                service_stripe_payout=payout["id"]
            )._balance_transaction_counterpart(tx, source, source_id, journal, company)
            if note:
                notes.append(note)
            if account:
                # Money into Stripe's balance: debit the Stripe account, credit what it
                # settles (and the other way round for money out of it).
                add(
                    account,
                    -amount,
                    name,
                    money_in if amount > 0 else money_out,
                    partner,
                    match,
                )
            if fee:
                fees += fee
                fee_count += 1
        if fees:
            add(
                self.env["account.payment"]._service_stripe_loss_account(),
                fees,
                self.env._("Stripe fees of %(count)s transactions", count=fee_count),
                self.env._("Stripe fees"),
            )
        payout_amount = to_major_currency_units(payout.get("amount"), currency)
        add(transfer_account, payout_amount, label, label)
        for side, (amount, balance) in stripe_side.items():
            lines.append(
                {
                    "currency_id": currency.id,
                    "name": side,
                    "account_id": stripe_account.id,
                    "amount_currency": -currency.round(amount),
                    "balance": -company.currency_id.round(balance),
                }
            )
            matches.append(None)
        entry = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": date,
                    "ref": " ".join(
                        part for part in (payout["id"], payout.get("statement_descriptor")) if part
                    ),
                    "narration": "\n".join(notes) or False,
                    "service_stripe_payout_key": f"{payout['id']}:paid",
                    "service_stripe_payout_id": payout["id"],
                    "service_stripe_payout_journal_id": bank_journal.id,
                    "line_ids": [Command.create(values) for values in lines],
                }
            )
        )
        entry.action_post()
        # One reconciliation per payment, all in one batch (a payout holds hundreds).
        self.env["account.move.line"].sudo()._reconcile_plan(
            [
                line | match
                for line, match in zip(entry.line_ids.sorted("id"), matches, strict=True)
                if match
            ]
        )
        return entry

    @api.model
    def _balance_transaction_counterpart(self, tx, source, source_id, journal, company):
        """What a balance transaction's amount settles in the books.

        :return: (account, partner, line to reconcile with, note): no account when the amount
            is already booked (a dispute, a payment recorded straight in the Stripe account)
        """
        tx_type, category = tx.get("type"), tx.get("reporting_category")
        source = source if isinstance(source, dict) else {}
        if tx_type in CHARGE_TYPES:
            line = self._open_payment_line(source, "inbound", tx, journal)
        elif tx_type in REFUND_TYPES:
            line = self._open_payment_line(source, "outbound", tx, journal)
        elif category in DISPUTE_CATEGORIES:
            step = "opened" if (tx.get("amount") or 0) < 0 else "closed"
            if (
                self.env["account.move"]
                .sudo()
                .search_count([("service_stripe_dispute_key", "=", f"{source_id}:{step}")])
            ):
                return None, None, None, None
            if source and self.env["account.payment"]._service_stripe_dispute_invoice(source):
                # Ours, its event not booked yet (failed, or still to come): booking it here
                # too would count it twice once it is.
                raise UserError(
                    self.env._(
                        "Payout %(payout)s holds dispute %(dispute)s, whose %(step)s is not "
                        "booked yet: the payout is booked once it is (retried later).",
                        payout=self.env.context.get("service_stripe_payout") or "-",
                        dispute=source_id,
                        step=self.env._("opening") if step == "opened" else self.env._("closing"),
                    )
                )
            line = None
        elif tx_type in PAYOUT_TYPES and self._payout_entry(source_id, "failed"):
            return None, None, None, None  # the failure's reversal put it back already
        elif tx_type in FEE_TYPES:
            return self.env["account.payment"]._service_stripe_loss_account(), None, None, None
        else:
            line = None
        if line is None:
            # Not recorded here (a charge of another application, a transaction of a kind
            # this addon does not book): in the journal's suspense account, for an accountant.
            account = journal.suspense_account_id or company.account_journal_suspense_account_id
            if not account:
                raise UserError(
                    self.env._(
                        "Balance transaction %(tx)s is recorded nowhere and journal %(journal)s "
                        "has no suspense account to hold it.",
                        tx=tx.get("id"),
                        journal=journal.name,
                    )
                )
            return (
                account,
                None,
                None,
                self.env._(
                    "%(tx)s (%(type)s %(origin)s) matches nothing recorded here: booked in "
                    "%(account)s.",
                    tx=tx.get("id"),
                    type=tx_type,
                    origin=source_id or "-",
                    account=account.display_name,
                ),
            )
        if not line:  # a payment booked in the Stripe account itself
            return None, None, None, None
        return line.account_id, line.partner_id, line, None

    @api.model
    def _open_payment_line(self, source, payment_type, tx, journal):
        """The open outstanding line of the payment (or refund payment) a charge (refund)
        stands for; ``False`` if that payment was booked straight in the Stripe account,
        ``None`` if it is not recorded."""
        intent = source.get("payment_intent")
        intent = stripe_id(intent)
        if not intent:
            return None
        Move = self.env["account.move"].sudo()
        invoices = Move.search(
            [("service_stripe_payment_intent_id", "=", intent), ("state", "=", "posted")]
        )
        if payment_type == "outbound":
            invoices = Move.search(
                [("reversed_entry_id", "in", invoices.ids), ("state", "=", "posted")]
            )
        payments = invoices._get_reconciled_payments()
        # payment_stripe's own card payments (website sales) name the same payment intent.
        payments |= (
            self.env["payment.transaction"]
            .sudo()
            .search([("provider_reference", "=", intent), ("provider_code", "=", "stripe")])
            .payment_id
        )
        payments = payments.filtered(lambda p: p.payment_type == payment_type)
        currency = self.env["account.move"]._service_stripe_currency(
            tx.get("currency"), tx.get("id")
        )
        wanted = abs(to_major_currency_units(tx.get("amount"), currency))
        if any(p.outstanding_account_id == journal.default_account_id for p in payments):
            return False
        candidates = payments.move_id.line_ids.filtered(
            lambda line: (
                line.account_id in payments.outstanding_account_id
                and not line.reconciled
                and line.account_id.reconcile
            )
        )
        # The payment of this very amount (a charge refunded in parts has several refunds).
        exact = candidates.filtered(
            lambda line: not currency.compare_amounts(abs(line.amount_currency), wanted)
        )
        return exact[:1] or None

    @api.model
    def _book_payout_failure(self, entry, payout):
        """Reverse the transfer of a failed payout: its money is back in Stripe's balance
        (what the payout's transactions settled stays settled)."""
        transfer_line = entry._service_stripe_transfer_line()
        label = self.env._("Failed payout %(payout)s", payout=payout["id"])
        common = {"currency_id": transfer_line.currency_id.id, "name": label}
        failure = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": entry.journal_id.id,
                    "company_id": entry.company_id.id,
                    "date": max(fields.Date.context_today(self), entry.date),
                    "ref": label,
                    "service_stripe_payout_key": f"{payout['id']}:failed",
                    "service_stripe_payout_id": payout["id"],
                    "service_stripe_payout_journal_id": entry.service_stripe_payout_journal_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                **common,
                                "account_id": entry.journal_id.default_account_id.id,
                                "amount_currency": transfer_line.amount_currency,
                                "balance": transfer_line.balance,
                            }
                        ),
                        Command.create(
                            {
                                **common,
                                "account_id": transfer_line.account_id.id,
                                "amount_currency": -transfer_line.amount_currency,
                                "balance": -transfer_line.balance,
                            }
                        ),
                    ],
                }
            )
        )
        failure.action_post()
        if not transfer_line.reconciled:
            (transfer_line | failure._service_stripe_transfer_line()).reconcile()
        return failure

    # ------------------------------------------------------------------
    # Bank statement
    # ------------------------------------------------------------------

    @api.model
    def _payout_statement_line(self, entry):
        """The bank statement line of a booked payout: in the payout bank journal, not
        reconciled, of the payout's amount, its label naming the payout (id or statement
        descriptor); else the only one of that amount within a week of the arrival date."""
        transfer_line = entry._service_stripe_transfer_line()
        amount = transfer_line.amount_currency
        currency = transfer_line.currency_id
        journal = entry.service_stripe_payout_journal_id
        lines = (
            self.env["account.bank.statement.line"]
            .sudo()
            .search([("journal_id", "=", journal.id), ("is_reconciled", "=", False)])
        )
        lines = lines.filtered(
            lambda line: (
                not currency.compare_amounts(line.amount_currency or line.amount, amount)
                if line.foreign_currency_id
                else not currency.compare_amounts(line.amount, amount)
            )
        )
        labels = [part.lower() for part in (entry.ref or "").split() if len(part) > 3]
        named = lines.filtered(
            lambda line: any(
                label in " ".join(filter(None, (line.payment_ref, line.narration))).lower()
                for label in labels
            )
        )
        if len(named) == 1:
            return named
        near = lines.filtered(lambda line: abs((line.date - entry.date).days) <= 7)
        return near if len(near) == 1 and not named else self.env["account.bank.statement.line"]

    @api.model
    def _match_payout(self, entry):
        """Reconcile a payout's transfer with its bank statement line (which Odoo booked
        against the journal's suspense account): the suspense line becomes the transfer."""
        transfer_line = entry._service_stripe_transfer_line()
        if transfer_line.reconciled:
            return self.env["account.bank.statement.line"]
        st_line = self._payout_statement_line(entry)
        if not st_line:
            raise UserError(
                self.env._(
                    "No bank statement line of %(amount)s in %(journal)s names payout "
                    "%(payout)s: import the bank statement first.",
                    amount=transfer_line.amount_currency,
                    journal=entry.service_stripe_payout_journal_id.name,
                    payout=entry.service_stripe_payout_id,
                )
            )
        _liquidity, suspense, _other = st_line._seek_for_lines()
        move = st_line.move_id
        move.button_draft()
        suspense.with_context(skip_readonly_check=True).write(
            {"account_id": transfer_line.account_id.id, "name": entry.ref}
        )
        move.action_post()
        (suspense | transfer_line).reconcile()
        return st_line
