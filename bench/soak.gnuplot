# Draws the soak scenario's time series (bench/run passes csv, events and png): per node heap after its latest
# collection and RSS, open files and threads, streams; the subscribers' delivered/s and p99 latency; resets, lost
# and duplicates since the start. Dashed grey lines: the restarts and the broker's restart (events.csv).
set terminal pngcairo size 1400,1600 font ",10"
set output png
set datafile separator ","
# An empty field (a node down, no event in those 5 s) breaks the line instead of joining across it.
v(name) = (strcol(name) eq "" ? NaN : column(name))
set key top left horizontal
set grid
set yrange [0:*]
set xlabel "seconds since publishing started"
set multiplot layout 5,1 title "eventstream soak: 2 nodes, Artemis, restarts (".title.")"

# A dashed grey line at each stop of a node or of the broker (events.csv: epoch ms, what, seconds), labelled in the
# first panel.
set style line 9 lc rgb "#999999" dt 2
stops = system("awk -F, 'NR > 1 && $3 != \"\" && $2 ~ /stop/ { print $3 }' ".events)
names = system("awk -F, 'NR > 1 && $3 != \"\" && $2 ~ /stop/ { split($2, w, \" \"); print w[1] \"_\" w[2] }' ".events)
do for [i = 1:words(stops)] {
  set arrow i from first word(stops, i), graph 0 to first word(stops, i), graph 1 nohead ls 9
  set label i word(names, i) at first word(stops, i), graph 0.97 rotate by 90 right font ",7" tc rgb "#666666"
}

set ylabel "MiB"
set title "heap after the latest GC and RSS, per node"
plot csv using "t_s":(v("n0_heap_mib")) with lines lw 1.5 title "node 0 heap", \
     csv using "t_s":(v("n1_heap_mib")) with lines lw 1.5 title "node 1 heap", \
     csv using "t_s":(v("n0_rss_mib")) with lines lw 1.5 dt 3 title "node 0 RSS", \
     csv using "t_s":(v("n1_rss_mib")) with lines lw 1.5 dt 3 title "node 1 RSS", \
     csv using "t_s":(v("broker_rss_mib")) with lines lw 1 title "broker RSS"

unset label
set ylabel "count"
set title "open files and threads, per node"
plot csv using "t_s":(v("n0_fds")) with lines lw 1.5 title "node 0 open files", \
     csv using "t_s":(v("n1_fds")) with lines lw 1.5 title "node 1 open files", \
     csv using "t_s":(v("n0_threads")) with lines lw 1.5 dt 3 title "node 0 threads", \
     csv using "t_s":(v("n1_threads")) with lines lw 1.5 dt 3 title "node 1 threads"

set title "streams: per node (/status) and held by the subscribers"
plot csv using "t_s":(v("n0_conns")) with lines lw 1.5 title "node 0", \
     csv using "t_s":(v("n1_conns")) with lines lw 1.5 title "node 1", \
     csv using "t_s":(v("subs_open")) with lines lw 1 title "subscribers open"

set title "delivered events/s and p99 latency of the events received in each 5 s"
set ylabel "events/s"
set y2label "p99 ms"
set y2tics
set logscale y2
plot csv using "t_s":(v("delivered_per_s")) with lines lw 1.5 title "delivered/s", \
     csv using "t_s":(v("p99_ms")) axes x1y2 with lines lw 1.5 title "p99 latency (ms, right)"
unset logscale y2
unset y2tics
unset y2label

set title "since the start: stream-resets, events missing below the newest held (lost), duplicates"
set ylabel "count"
set yrange [0:*]
plot csv using "t_s":(v("resets")) with lines lw 1.5 title "resets", \
     csv using "t_s":(v("lost")) with lines lw 1.5 title "lost", \
     csv using "t_s":(v("dups")) with lines lw 1.5 title "duplicates"
unset multiplot
