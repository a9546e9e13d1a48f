"""Connection health: the catalogue of store problems (code → words, fix, help page), the checks `storelens doctor`
and the Check connection button run, the help pages, and the banner shown while a store needs attention."""
