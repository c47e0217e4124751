/*
 * A saga of three local transactions T1, T2, T3 (e.g. reserve stock, charge card, ship), any of
 * which may fail. When step k fails, the saga runs the compensations of the steps already done,
 * in reverse order (C(k-1) ... C1). Garcia-Molina and Salem's saga (1987), as the atlas's
 * saga-pattern concept describes it.
 *
 * Properties:
 *   all_or_nothing - at the end, either every step is done or every done step is compensated:
 *                    no partial outcome survives.
 *   finishes       - the saga always reaches its end.
 *
 * Broken variant:
 *   -DSKIP_FIRST_COMPENSATION  compensation stops before undoing T1 (violates all_or_nothing)
 */
#define STEPS 3

bool done[STEPS];
bool compensated[STEPS];
bool finished = false;
bool failed = false;

active proctype saga() {
    byte k = 0;
    do
    :: k < STEPS ->
        if
        :: done[k] = true; k++
        :: failed = true; break      /* step k fails: nothing of it is done */
        fi
    :: k == STEPS -> break
    od;
    if
    :: failed ->
        do
        :: k > 0 ->
            k--;
#ifdef SKIP_FIRST_COMPENSATION
            if
            :: k == 0 -> break
            :: else -> skip
            fi;
#endif
            compensated[k] = true
        :: k == 0 -> break
        od
    :: else -> skip
    fi;
    finished = true
}

#define ALL_DONE   (done[0] && done[1] && done[2])
#define UNDONE(i)  (!done[i] || compensated[i])
#define ALL_UNDONE (UNDONE(0) && UNDONE(1) && UNDONE(2))

ltl all_or_nothing { [] (finished -> (ALL_DONE || ALL_UNDONE)) }
ltl finishes       { <> finished }
