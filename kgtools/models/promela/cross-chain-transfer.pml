/*
 * Cross-chain transfer workflow, as the seed document describes it (003 §1.1, the Coinbase case):
 * lock the amount on the source chain, wait up to 24 hours for the target chain's confirmation,
 * then release the amount to the target or, when the deadline passes first, compensate by
 * unlocking it on the source. The 24-hour timer is modelled as the other chain answering either
 * "confirmed" or "deadline passed"; SPIN explores both orders.
 *
 * Properties (SPIN LTL claims):
 *   settles   - the document's property: once the source is locked, eventually the target is
 *               credited or the source is unlocked.
 *   conserves - funds are conserved: source + escrow + target always equals the total.
 *
 * Broken variants, each violating one property:
 *   -DFORGET_COMPENSATION  the timeout branch does nothing (violates settles)
 *   -DDOUBLE_CREDIT        the release credits the target without emptying the escrow (violates conserves)
 */
#define TOTAL  10
#define AMOUNT 5

int source = TOTAL;
int escrow = 0;
int target = 0;
bool locked = false;
bool released = false;
bool unlocked = false;

mtype = { confirmed, deadline_passed };
chan answer = [1] of { mtype };

active proctype transfer() {
    atomic { source = source - AMOUNT; escrow = escrow + AMOUNT; locked = true };
    if
    :: answer ? confirmed ->
#ifdef DOUBLE_CREDIT
        atomic { target = target + AMOUNT; released = true }
#else
        atomic { escrow = escrow - AMOUNT; target = target + AMOUNT; released = true }
#endif
    :: answer ? deadline_passed ->
#ifdef FORGET_COMPENSATION
        skip
#else
        atomic { escrow = escrow - AMOUNT; source = source + AMOUNT; unlocked = true }
#endif
    fi
}

active proctype target_chain() {
    if
    :: answer ! confirmed
    :: answer ! deadline_passed
    fi
}

ltl settles   { [] (locked -> <> (released || unlocked)) }
ltl conserves { [] (source + escrow + target == TOTAL) }
