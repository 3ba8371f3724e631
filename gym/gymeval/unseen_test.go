package gymeval_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/gym/gymeval"
)

// unseen holds the messages written for the pass that generalised the
// rules from holdout5's misses (read for the first time in that pass) and
// holdout6's: for each miss, the class of phrasing behind it, written anew
// in several wordings and in both languages where it applies, before the
// rule was changed. None is a copy of a corpus message.
var unseen = []gymeval.Case{
	// a negation about logging or posting, not about the workout
	msg("en", "neglog", log, "did 45 min spin tuesday, never posted it", w("cycling", 45, -2)),
	msg("en", "neglog", log, "yoga 1h yesterday, forgot to put it in 🧘", w("yoga", 60, -1)),
	msg("es", "neglog", log, "el lunes nadé 30 min y no lo registré", w("swimming", 30, -3)),
	msg("en", "neglog", other, "didn't run today, no 5k for me"),
	msg("en", "neglog", log, "swam 40 min on monday, didn't log it 🏊", w("swimming", 40, -3)),
	msg("es", "neglog", log, "yoga 1h ayer y no lo puse en el grupo 🧘", w("yoga", 60, -1)),
	msg("es", "neglog", log, "el martes fui a spinning 45 min y no lo subí 🚴", w("cycling", 45, -2)),
	// idioms that open with a negation and negate nothing done
	msg("en", "negidiom", log, "hill sprints 25 min, never again 😵", w("running", 25, 0)),
	msg("es", "negidiom", log, "no me lo puedo creer, 2 horas de escalada", w("climbing", 120, 0)),
	msg("es", "negidiom", log, "spinning 45 min, nunca más 😵", w("cycling", 45, 0)),
	msg("en", "negidiom", log, "can't believe I ran 12k in 65 min", w("running", 65, 0, 12)),
	msg("es", "negidiom", log, "no me lo creo pero hice 8 km en 45 minutos", w("running", 45, 0, 8)),
	msg("en", "negidiom", log, "never thought I'd say this but I enjoyed the 1h spin", w("cycling", 60, 0)),
	msg("en", "negidiom", log, "not my best run but 8k in 46 min", w("running", 46, 0, 8)),
	msg("es", "negidiom", log, "no fue mi mejor día pero 10 km en 58 min", w("running", 58, 0, 10)),
	msg("es", "negidiom", log, "hoy por fin 5 km sin parar, 32 minutos 🥹", w("running", 32, 0, 5)),
	msg("en", "negidiom", log, "ran 5k without stopping for the first time, 34 min", w("running", 34, 0, 5)),
	// stairs are cardio
	msg("en", "stairs", log, "stair climber 20 min, legs gone", w("cardio", 20, 0)),
	msg("en", "stairs", log, "stadium steps for 40 mins this morning", w("cardio", 40, 0)),
	msg("es", "stairs", log, "subí escaleras del estadio 30 min", w("cardio", 30, 0)),
	msg("en", "stairs", other, "took the stairs, 5 floors, does that count lol"),
	// "hour and a half" with no article, at the start
	msg("en", "duration", log, "hour and a half of tennis, my shoulder", w("tennis", 90, 0)),
	msg("en", "duration", log, "hour and a half on the bike 🚴", w("cycling", 90, 0)),
	msg("en", "duration", log, "an hour and 20 minutes of cardio", w("cardio", 80, 0)),
	msg("en", "duration", log, "20-min HIIT + 20-min core", w("hiit", 20, 0), w("abs", 20, 0)),
	msg("en", "duration", log, "a 45-minute spin class, brutal", w("cycling", 45, 0)),
	msg("en", "duration", log, "2-hour hike with the dog", w("hiking", 120, 0)),
	msg("en", "duration", log, "squeezed in 25 mins on the turbo at lunch", w("cycling", 25, 0)),
	msg("en", "duration", log, "got in 40 min of yoga before work", w("yoga", 40, 0)),
	msg("en", "duration", log, "snuck in 20 min hiit", w("hiit", 20, 0)),
	// a sport watched for an amount of time, even on a screen; looking at the clock is not watching
	msg("en", "watching", other, "spent 2 hours watching tour de france highlights on youtube lol"),
	msg("en", "watching", log, "45 min elliptical, watched netflix the whole time", w("cardio", 45, 0)),
	msg("en", "watching", other, "watched 90 min of boxing on netflix instead of the gym"),
	msg("es", "watching", other, "me vi 2 horas de ciclismo en youtube en vez de entrenar"),
	msg("es", "watching", log, "salí a correr 8 km, no miré el reloj", w("running", 0, 0, 8)),
	msg("en", "watching", log, "swam 1500m this morning, didn't check the time", w("swimming", 0, 0, 1.5)),
	msg("en", "watching", log, "hour on the turbo watching the giro", w("cycling", 60, 0)),
	msg("es", "watching", log, "rodillo 50 min viendo el tour", w("cycling", 50, 0)),
	msg("en", "watching", other, "watching the giro, 3 hours of climbing, incredible"),
	msg("es", "watching", other, "hoy maratón de series, 5 horas en el sofá"),
	msg("en", "watching", other, "the only marathon I'm doing is a Netflix one, 6 hours"),
	msg("en", "watching", log, "swam 1k with the kids watching, 30 min", w("swimming", 30, 0, 1)),
	// rescheduling asked of the group; "I've got" is having, not a past
	msg("es", "plan", other, "¿podemos pasar la ruta del sábado a las 10? tengo algo a las 8"),
	msg("en", "plan", log, "I've got to say, 10k in 52 min today felt easy", w("running", 52, 0, 10)),
	msg("en", "plan", other, "can we move thursday's spin to 7? I've got work till 6"),
	msg("en", "plan", other, "could we do the long run at 7 instead? I've got a thing later"),
	msg("en", "plan", other, "how am I going to fit a run in today"),
	msg("es", "plan", other, "¿qué hacéis todos este finde?"),
	msg("en", "plan", other, "what's everyone doing this weekend?"),
	msg("en", "plan", other, "spin starts in 20 min, see you there"),
	// an earlier time of one's life
	msg("es", "history", other, "en mis veinte hacía 3 horas de bici los domingos"),
	msg("en", "history", other, "ran 60 km a week in my 30s, now 5k kills me"),
	msg("en", "history", other, "back at uni I swam 2 hours a day"),
	msg("es", "history", other, "con 20 años corría 15 km cada día, ahora ni 3"),
	// a reaction: praise of an amount, a question or a remark to a member
	msg("en", "reaction", other, "2 hours? did you really do that Ana 😳"),
	msg("es", "reaction", other, "¿1h de pierna? tú haces eso Lucía?"),
	msg("en", "reaction", other, "3k in 15 min in that wind is heroic"),
	msg("es", "reaction", other, "2 horas de natación en agua fría es de héroe"),
	msg("en", "reaction", other, "40 easy? you never do easy Sam"),
	msg("en", "reaction", other, "you've been top of the board all month Priya, leave some for us"),
	msg("es", "reaction", other, "llevas 3 semanas primera en el ranking Marta, para ya"),
	msg("en", "reaction", summary, "Priya are you top of the board this month?"),
	msg("en", "reaction", other, "jealous of your 2h hike, I was stuck at my desk"),
	msg("en", "reaction", other, "love your 10k time, I'm nowhere near"),
	msg("es", "reaction", other, "qué envidia tu ruta de 3 horas, yo en la oficina"),
	msg("en", "reaction", log, "your 10k plan worked, I ran 10k in 55 today", w("running", 55, 0, 10)),
	msg("en", "reaction", other, "did you guys see Tom's 3 hour ride? I can barely do an hour"),
	msg("en", "reaction", other, "Mia's 2h swim yesterday was something else"),
	msg("es", "reaction", other, "yo apenas puedo hacer 20 min de plancha, qué envidia"),
	msg("en", "reaction", other, "I can only do 10 min on the rower before I die"),
	msg("es", "reaction", other, "qué bestia, 3 horas de bici"),
	msg("en", "reaction", other, "bro that 405 deadlift tho 😤"),
	msg("en", "reaction", other, "that 100kg squat though Jess 🔥"),
	msg("en", "reaction", log, "thanks to your plan I ran 10k in 50", w("running", 50, 0, 10)),
	// asking whether the bot logged something
	msg("es", "memory", summary, "¿el bot pilló mi carrera?"),
	msg("en", "memory", summary, "did the bot log my ride?"),
	msg("en", "memory", summary, "has the bot got my run from yesterday?"),
	msg("es", "memory", summary, "¿apuntaste lo mío de ayer?"),
	msg("es", "memory", summary, "¿guardaste mi entreno del martes?"),
	msg("en", "memory", summary, "remind me what I did monday"),
	msg("en", "memory", summary, "remind me how much I've done this week"),
	msg("es", "memory", summary, "recuérdame qué hice el martes"),
	msg("en", "memory", summary, "did anyone log anything yesterday?"),
	msg("es", "memory", summary, "¿alguien ha apuntado algo hoy?"),
	msg("en", "memory", summary, "what was my longest run this month?"),
	msg("es", "memory", summary, "¿cuál fue mi entreno más largo esta semana?"),
	msg("en", "memory", summary, "what's on my log for today?"),
	msg("es", "memory", summary, "¿qué hay en mi registro de esta semana?"),
	// asking for advice, with a number
	msg("en", "advice", other, "how many km would you recommend for a beginner? is 3 ok?"),
	msg("es", "advice", other, "¿cuántos minutos recomiendan de estiramientos? ¿10 vale?"),
	msg("en", "advice", other, "how many minutes of cardio do you recommend? 20?"),
	msg("es", "advice", other, "¿cuánto tiempo de descanso entre series?"),
	msg("en", "advice", other, "how much rest between sets, 60 sec?"),
	msg("en", "advice", other, "what's a good weekly mileage for a half?"),
	msg("es", "advice", other, "¿cuál es un buen ritmo semanal para una maratón?"),
	// a day set right against the one logged
	msg("en", "correct", correct, "that one was monday, not today"),
	msg("es", "correct", correct, "eso fue ayer, no hoy"),
	msg("es", "correct", correct, "esa fue el lunes, no hoy"),
	msg("en", "correct", correct, "that should say 40 mins not 30"),
	msg("es", "correct", correct, "quise decir 50, no 45"),
	// regional and team-size names of a sport
	msg("es", "vocab", log, "media hora en la pileta 🏊", w("swimming", 30, 0)),
	msg("es", "vocab", log, "fui a la alberca 45 minutos", w("swimming", 45, 0)),
	msg("en", "vocab", log, "7-a-side tonight was carnage, 60 mins, won 6-5", w("football", 60, 0)),
	msg("en", "vocab", log, "five a side 50 mins, scored one", w("football", 50, 0)),
	msg("en", "vocab", log, "just finished 30 min on the cross trainer", w("cardio", 30, 0)),
	msg("en", "vocab", log, "boxercise 45 mins", w("boxing", 45, 0)),
	msg("en", "vocab", log, "assault bike intervals 20 min, lungs gone", w("cycling", 20, 0)),
	msg("es", "vocab", log, "subí al monte 3 horas con el club", w("hiking", 180, 0)),
	msg("es", "vocab", log, "2 horas de bici de montaña por el pinar", w("cycling", 120, 0)),
	msg("en", "vocab", log, "did 20 mins of skipping and 20 mins of stretching", w("cardio", 20, 0), w("stretching", 20, 0)),
	msg("en", "vocab", log, "skipping 15 min then abs 10", w("cardio", 15, 0), w("abs", 10, 0)),
	msg("en", "vocab", other, "skipping legs today lol"),
	msg("es", "vocab", log, "fútbol 5 anoche, 1 hora", w("football", 60, -1)),
	msg("es", "vocab", log, "futbol 7 con los del curro, 1h", w("football", 60, 0)),
	msg("en", "vocab", log, "row 5000m 21 min", w("rowing", 21, 0, 5)),
	msg("es", "vocab", log, "por fin fui a la clase de box, 1 hora, me encantó", w("boxing", 60, 0)),
	msg("es", "vocab", log, "subí el cerro en 2 horas, qué vista", w("hiking", 120, 0)),
	msg("en", "vocab", log, "20 mins skipping in the garden, neighbours think I'm mad", w("cardio", 20, 0)),
	// a body part: trained after a training verb, felt after a session or a sense verb
	msg("en", "bodypart", log, "hit my shoulders 45 min", w("shoulders", 45, 0)),
	msg("en", "bodypart", log, "trained my back today, 1 hour", w("back", 60, 0)),
	msg("en", "bodypart", log, "worked my arms for 30 mins", w("arms", 30, 0)),
	msg("en", "bodypart", other, "my legs after 10 min of that class 💀"),
	msg("en", "bodypart", log, "push day 1h, triceps were fried after", w("strength", 60, 0)),
	msg("en", "bodypart", log, "full body 50 min, legs felt dead", w("strength", 50, 0)),
	msg("es", "bodypart", log, "tren superior 1h, la espalda estaba destrozada", w("strength", 60, 0)),
	msg("es", "bodypart", log, "no noto los brazos, 45 min de boxeo", w("boxing", 45, 0)),
	msg("en", "bodypart", log, "leg day 1h, can barely walk now", w("legs", 60, 0)),
	msg("es", "bodypart", log, "pierna 1h, no puedo ni andar", w("legs", 60, 0)),
	msg("en", "bodypart", log, "60 min kettlebell class, arms like jelly", w("strength", 60, 0)),
	msg("es", "bodypart", log, "boxeo 1h, los brazos como flanes", w("boxing", 60, 0)),
	msg("en", "bodypart", log, "hamstring's fine so did 40 min on the bike", w("cycling", 40, 0)),
	// "left" is a time remaining only next to the amount
	msg("en", "left", log, "boxing 1h, left hook finally clicking 🥊", w("boxing", 60, 0)),
	msg("en", "left", other, "10 min left of this meeting and then gym"),
	msg("en", "left", other, "only 20 mins left before the class"),
	msg("en", "left", log, "zumba 45 min 💃 two left feet as usual", w("dance", 45, 0)),
	msg("en", "left", other, "20 mins left on this treadmill, send help"),
	// an activity that names one's company, not the session
	msg("en", "company", log, "swam 1 km with my running buddy, 30 min", w("swimming", 30, 0, 1)),
	msg("en", "company", log, "yoga 1h with the climbing crew", w("yoga", 60, 0)),
	msg("es", "company", log, "ruta de 3 horas con el grupo de running", w("hiking", 180, 0)),
	// an activity that modifies the session's noun
	msg("en", "modifier", log, "Zwift 45 min hill climb ride", w("cycling", 45, 0)),
	msg("en", "modifier", log, "peloton 20 min hiit ride", w("cycling", 20, 0)),
	msg("en", "modifier", log, "walking lunges and squats 30 min", w("legs", 30, 0)),
	msg("en", "modifier", log, "squats deadlifts lunges 1h ✔️", w("back+legs", 60, 0)),
	// on the way: arriving, parking
	msg("en", "idiom", other, "10 mins, finding a parking spot"),
	msg("es", "idiom", other, "aparcando, 5 min"),
	msg("en", "idiom", other, "nearly there, 3 mins"),
	msg("en", "idiom", other, "5 min, just parking up"),
	msg("en", "idiom", other, "the kids had me running around for 3 hours at the party"),
	msg("en", "idiom", other, "had 2 hours of meetings back to back"),
	// "a ver", "es que" and "fatal" in a voice note are not watching or a reaction; "tenía" is no tennis
	msg("es", "voice", log, "A ver, hoy al final fui a pilates, 50 min", w("pilates", 50, 0)),
	msg("es", "voice", log, "bueno a ver, ayer hice 40 de elíptica", w("cardio", 40, -1)),
	msg("es", "voice", log, "tenía la rodilla fatal pero es que hice 1h de bici igual", w("cycling", 60, 0)),
	msg("es", "voice", log, "[audio] ay perdonad, es que no me da la vida, hoy hice pilates 1 hora y tenía la espalda fatal", w("pilates", 60, 0)),
	// someone's words quoted back, then what they did
	msg("en", "quote", other, "lol 'only a short 30 min spin' she says, then posts 2 hours"),
	msg("en", "quote", other, "\"just an easy 5k\" he said. he ran 12k"),
	msg("es", "quote", other, "jaja 'solo media hora' dice, y se metió 2 horas de bici"),
	msg("es", "quote", other, "'un rodajito de 5 km' dijo... y se pegó 15 km"),
	// a wish or a thought of a workout, not one done
	msg("en", "wish", other, "wish I had time for 3 hr hikes, work is killing me"),
	msg("en", "wish", other, "I wish I could swim 2 km like you lot"),
	msg("es", "wish", other, "ojalá tuviera tiempo para salidas de 3 horas en bici"),
	// a workout still under way
	msg("en", "progress", other, "halfway through a 90 min ride, 25 km so far, legs ok"),
	msg("en", "progress", other, "mid run right now, 5k in, 30 min to go"),
	msg("es", "progress", other, "a mitad de la ruta, 20 km de 40, qué calor"),
	// how far a place is (but a run between two places is a run)
	msg("en", "fact", other, "6 km from my place to the office so I bike it most days"),
	msg("es", "fact", other, "son 3 km de casa al gimnasio, voy andando"),
	msg("en", "fact", log, "ran 8k from my place to the beach this morning", w("running", 0, 0, 8)),
	msg("es", "fact", other, "el gym está a 10 min de mi casa"),
	msg("en", "fact", other, "the pool is 15 min from my place, no excuse"),
	msg("es", "fact", other, "vivo a 5 minutos del parque, debería ir más"),
	// thought about doing it
	msg("en", "intent", other, "thought about going for a 30 min run then watched tv instead"),
	msg("es", "intent", other, "pensé en ir a nadar 40 min pero me quedé en el sofá"),
	msg("en", "intent", other, "considered a 10k this morning, stayed in bed"),
	msg("en", "intent", other, "was meant to run 10k today but my knee said no"),
	msg("en", "intent", other, "was supposed to do legs 1h, ended up on the sofa"),
	msg("es", "intent", other, "tenía que correr 8 km pero llovía a mares"),
	msg("en", "intent", other, "tried to do a 20 min yoga video, fell asleep in savasana"),
	msg("es", "intent", other, "intenté hacer 30 min de bici estática pero me aburrí a los 5"),
	msg("en", "intent", log, "tried a new spin class, 45 min, loved it", w("cycling", 45, 0)),
	msg("en", "intent", log, "tried to beat my pb, 10k in 49, just missed it", w("running", 49, 0, 10)),
	// an injury dated by a past race
	msg("es", "injury", other, "me duele el tobillo desde la carrera de 21 km del domingo"),
	msg("en", "injury", other, "knee's been sore since the 10k last month, physio says 3 weeks off"),
	msg("en", "injury", other, "my back's killing me after yesterday's 2h ride"),
	msg("en", "injury", other, "legs still sore from sunday's 3 hour hike"),
	// a class at a time of day that already happened
	msg("en", "meet", log, "spin at 6 was brutal, 45 min, the instructor is evil", w("cycling", 45, 0)),
	msg("es", "meet", log, "body pump a las 7 fue durísimo, 1h, la monitora es una bestia", w("strength", 60, 0)),
	msg("en", "meet", other, "the spin at 6 is 45 min, the instructor is great"),
	// a bare number with how it went ("easy", "steady", "suave")
	msg("en", "bare", log, "bike 40 steady", w("cycling", 40, 0)),
	msg("en", "bare", log, "swim 30 chill", w("swimming", 30, 0)),
	msg("es", "bare", log, "rodaje 40 suave", w("running", 40, 0)),
	msg("es", "bare", log, "bici 50 tranqui", w("cycling", 50, 0)),
	// summary requests in contracted forms and towards a goal
	msg("en", "summary", summary, "how're we doing this week"),
	msg("en", "summary", summary, "how'm I looking this week?"),
	msg("en", "summary", summary, "how far off 500 km am I this month?"),
	msg("es", "summary", summary, "¿cuánto me falta para las 20 horas este mes?"),
	msg("en", "summary", summary, "am I close to 40 hours this month?"),
	msg("en", "summary", summary, "how am I getting on?"),
	msg("en", "summary", summary, "how are we faring this week"),
	msg("en", "summary", summary, "how am I shaping up this month?"),
	msg("en", "summary", summary, "who's closest to me?"),
	msg("en", "summary", summary, "who's right behind me this week?"),
	msg("es", "summary", summary, "¿quién está más cerca de mí?"),
	msg("en", "summary", summary, "what's the count at?"),
	msg("en", "summary", summary, "where's the count at this week"),
	msg("en", "summary", summary, "numbers please"),
	msg("en", "summary", summary, "totals pls"),
	msg("es", "summary", summary, "números porfa"),
	msg("en", "summary", summary, "did I hit 150 mins this week?"),
	msg("en", "summary", summary, "have I reached 20 hours this month?"),
	msg("es", "summary", summary, "¿he llegado a los 100 km este mes?"),
	msg("en", "summary", summary, "what place am I in this week?"),
	// race names give their distance (a parkrun's is left unsaid)
	msg("en", "race", log, "half marathon done, 2:01 🥳", w("running", 121, 0, 21.1)),
	msg("es", "race", log, "media maratón terminada en 1h58", w("running", 118, 0, 21.1)),
	msg("en", "race", log, "marathon done!! 4:12:30", w("running", 253, 0, 42.2)),
	msg("en", "race", log, "parkrun this morning, 26:10 👟", w("running", 26, 0, 5)), // a parkrun is 5 km
	// gym brands that name a class
	msg("en", "brand", log, "barrys 50 min, absolutely cooked", w("hiit", 50, 0)),
	msg("en", "brand", log, "orangetheory 60 min this morning", w("hiit", 60, 0)),
	// a day with nothing done between logged days
	msg("en", "multiday", log, "monday: legs 1h. tuesday: nothing. wednesday: swim 30", w("legs", 60, -3), w("swimming", 30, -1)),
	msg("es", "multiday", log, "lunes: pierna 1h. martes: nada. miércoles: natación 30 min", w("legs", 60, -3), w("swimming", 30, -1)),
	msg("en", "multiday", log, "tuesday: 40 min spin class. wednesday: rest. today: upper body 45", w("cycling", 40, -2), w("strength", 45, 0)),
	msg("es", "multiday", log, "martes: 1h de pádel. miércoles: descanso. hoy: pierna 50 min", w("padel", 60, -2), w("legs", 50, 0)),
	msg("en", "multiday", log, "tuesday and wednesday 45 min swim each", w("swimming", 45, -2), w("swimming", 45, -1)),
	msg("es", "multiday", log, "lunes y martes 1h de pilates cada día, se me olvidó apuntarlo", w("pilates", 60, -3), w("pilates", 60, -2)),
	msg("en", "multiday", log, "yoga 30 min monday and tuesday, both mornings", w("yoga", 30, -3), w("yoga", 30, -2)),
	// a set scheme after a gym session is its scheme
	msg("en", "sets", log, "chest 45 mins, 5x5 bench 💪", withSets(w("chest", 45, 0), 5, 5)),
	msg("es", "sets", log, "espalda 50 min, 4x10 dominadas", withSets(w("back", 50, 0), 4, 10)),
	// app exports: the height climbed is no distance, calories written around their unit
	msg("en", "export", log, "Garmin: Road Cycling · 62.3 km · 2:05:40 · Total Ascent 840 m", w("cycling", 126, 0, 62.3)),
	msg("es", "export", log, "Strava: Carrera de montaña · 12,5 km · 1:20:00 · Desnivel positivo 650 m", w("running", 80, 0, 12.5)),
	msg("en", "export", log, "Apple Watch: Indoor Cycle · 45 min · 410 Active Cal", withKcal(w("cycling", 45, 0), 410)),
	msg("en", "export", log, "Outdoor Run · 8.1 km · 44:12 · Active Kcal 520", withKcal(w("running", 44, 0, 8.1), 520)),
	// a diary's dropped "I" before speaking to the group
	msg("en", "caps", log, "SWAM 2K. 41 MIN. Y'ALL SAW NOTHING", w("swimming", 41, 0, 2)),
	msg("en", "caps", log, "ran 10k in 47, you guys won't believe the wind", w("running", 47, 0, 10)),
	// a colon introduces the session's list
	msg("en", "list", log, "lower body 1h: quads, glutes, calves", w("legs+glutes", 60, 0)),
	msg("en", "list", log, "push 50 min: chest, shoulders, tris", w("chest+shoulders+triceps", 50, 0)),
	// a log sent after a mistake about the chat is no correction
	msg("es", "trap", log, "perdón, me equivoqué de grupo, lo pongo aquí: 30 min de bici", w("cycling", 30, 0)),
	msg("en", "trap", log, "wrong chat sorry, logging it here: yoga 45 min", w("yoga", 45, 0)),
	// "a kilometre", "un kilómetro", "a mile"
	msg("en", "distance", log, "swam a kilometre this morning, 28 min", w("swimming", 28, 0, 1)),
	msg("es", "distance", log, "nadé un kilómetro, 30 minutos", w("swimming", 30, 0, 1)),
	msg("en", "distance", log, "ran a mile with the dog, 10 min", w("running", 10, 0, 1.61)),
	msg("en", "distance", log, "ran the 10k route in 51, happy days", w("running", 51, 0, 10)),
	// an activity with no amount after "then", once a session is timed: the timed one is logged and the other dropped, not asked about (see group)
	msg("en", "trailing", log, "30 min run then some yoga", w("running", 30, 0)),
	msg("en", "trailing", log, "did 25 min on the rower and then some stretching", w("rowing", 25, 0)),
	msg("en", "trailing", log, "gym 1h then a walk home", w("strength", 60, 0)),
	msg("es", "trailing", log, "corrí 30 min y luego algo de yoga", w("running", 30, 0)),
	msg("es", "trailing", log, "40 minutos de elíptica y después abdominales", w("cardio", 40, 0)),
	msg("en", "trailing", log, "chest, then triceps, 1h", w("chest+triceps", 60, 0)),
	msg("en", "trailing", log, "gym 1h, legs and glutes", w("legs+glutes", 60, 0)),
	// "into work and back": back is the way home, not the muscle
	msg("en", "commute", log, "cycled into work and back, 18 km, about an hour all in", w("cycling", 60, 0, 18)),
	msg("en", "commute", log, "walked into town and back, 50 min", w("walking", 50, 0)),
	msg("en", "commute", log, "chest and back 1h", w("chest+back", 60, 0)),
	msg("en", "commute", log, "bike commute 40 min total", w("cycling", 40, 0)),
	msg("en", "commute", log, "run commute home, 8k in 42 min", w("running", 42, 0, 8)),
	msg("en", "commute", other, "commute was 40 min of traffic again"),
	// a price, in slang too
	msg("en", "money", other, "just bought a rowing machine, 400 quid 😬"),
	msg("es", "money", other, "me gasté 120 pavos en unas zapatillas de running"),
	// an exercise named as where a record fell, beside the session
	msg("en", "pb", log, "gym 50 min, new pr on deadlift!!", w("strength", 50, 0)),
	msg("en", "pb", log, "weights 1h, PB on squat 🎉", w("strength", 60, 0)),
	msg("es", "pb", log, "pesas 1h, récord en sentadilla 💪", w("strength", 60, 0)),
	// two sessions in one message
	msg("es", "multi", log, "pesas 1 hora y 20 min de cinta", w("strength", 60, 0), w("running", 20, 0)),
	msg("en", "multi", log, "weights 1 hour and 15 min on the bike", w("strength", 60, 0), w("cycling", 15, 0)),
	msg("en", "multi", log, "stretch 15 + 20 min yoga", w("stretching", 15, 0), w("yoga", 20, 0)),
	msg("en", "multi", log, "bike 30 + 15 min core", w("cycling", 30, 0), w("abs", 15, 0)),
	msg("en", "multi", log, "hiit 25 + 10 min cool down walk", w("hiit", 25, 0), w("walking", 10, 0)),
	msg("en", "multi", log, "15 min warm-up jog then legs 45 min", w("running", 15, 0), w("legs", 45, 0)),
	msg("en", "multi", log, "hiit 25 min + 5k run in 27", w("hiit", 25, 0), w("running", 27, 0, 5)),
	msg("es", "multi", log, "20 min de core y 8 km de carrera en 44", w("abs", 20, 0), w("running", 44, 0, 8)),
	// a time to beat is no duration
	msg("en", "target", log, "10k on sunday, 52:30, finally under 55:00", w("running", 53, -4, 10)),
	msg("es", "target", log, "media maratón el domingo en 1:58:40, por fin bajo 2:00:00", w("running", 119, -4, 21.1)),
	// a link, with or without http, is no workout of the sender; its "?" asks nothing
	msg("en", "link", other, "try this 15 min stretch routine: bit.ly/abc123"),
	msg("en", "link", other, "here's the 20 min ab workout I mentioned youtube.com/watch?v=xyz"),
	// someone seen, not a member
	msg("en", "third", other, "saw a guy do 50 pullups in a row at the gym today"),
	msg("en", "third", other, "some guy at the pool swam 3k in 40 min, show off"),
	msg("es", "third", other, "vi a un señor de 80 años correr 10 km, increíble"),
	msg("en", "third", other, "this woman at spin did 45 min standing up the whole time"),
	msg("en", "third", other, "kids have swimming lessons 30 mins, I sit and watch with a coffee"),
	msg("es", "third", other, "los niños tienen natación 45 min, yo miro desde la grada"),
	msg("en", "third", log, "mum and I did 30 min of yoga", w("yoga", 30, 0)),
	msg("en", "third", other, "my partner's been at the climbing wall for 3 hours, send snacks"),
	msg("en", "third", other, "my brother's just done a 10k in 45, show off"),
	msg("en", "third", log, "my partner's birthday so only 30 min of yoga today", w("yoga", 30, 0)),
	msg("en", "third", log, "coach had me doing 45 min of intervals", w("running", 45, 0)),
	msg("en", "third", log, "trainer put me through 1h of legs", w("legs", 60, 0)),
	msg("en", "third", log, "ran 5k with a guy from the club, 27 min", w("running", 27, 0, 5)),
	msg("en", "third", log, "mum and me did 40 min of yoga", w("yoga", 40, 0)),
	// a chore joked to be a workout
	msg("en", "joke", other, "carried the shopping up 4 flights, that's leg day done lol"),
	msg("en", "joke", other, "chased the dog round the park, that counts as cardio 😂"),
	msg("es", "joke", other, "subí la compra a un quinto sin ascensor, eso cuenta como pierna jaja"),
	msg("en", "joke", other, "ran out of milk, 10 min walk to the shop, does that count 😂"),
	msg("en", "joke", other, "popped to the shops, 15 min walk, does it count lol"),
	msg("en", "joke", log, "walked the dog for an hour, does that count?", w("walking", 60, 0)),
	// a device's count of the day is no session
	msg("en", "device", other, "my phone says I've walked 2 km today. from the sofa to the fridge"),
	msg("es", "device", other, "el reloj dice que he caminado 3 km hoy y no he salido de la oficina"),
	// "that 10k took me 58 min" is the sender's own; "that 10k time though" is someone else's
	msg("en", "pointer", log, "that 10k took me 58 min, slowest ever", w("running", 58, 0, 10)),
	msg("en", "pointer", other, "that 10k time though 🔥"),
	// someone else sleeping while the sender trained
	msg("es", "while", log, "30 min de bici estática mientras el bebé dormía", w("cycling", 30, 0)),
	msg("en", "while", log, "20 min on the stepper while the kids napped", w("cardio", 20, 0)),
	// house and garden work, and a metaphor calling it a workout
	msg("en", "chore", other, "did 3 hours of gardening, my back is done"),
	msg("en", "chore", other, "spent 2 hours assembling IKEA furniture, full body workout"),
	msg("en", "chore", other, "an hour of hoovering and mopping, that's cardio right there"),
	msg("es", "chore", other, "3 horas de limpieza general, eso es crossfit"),
	msg("es", "chore", other, "2 horas limpiando el jardín, pierna y espalda hechas"),
	msg("en", "chore", log, "that's 45 min spin done ✅", w("cycling", 45, 0)),
	msg("en", "chore", log, "basically just 45 min spin today", w("cycling", 45, 0)),
	// "5 min into football" is a moment, not a length
	msg("en", "moment", other, "pulled a hamstring 5 min into football, gutted"),
	msg("en", "moment", other, "30 min into the run and it started hailing"),
	msg("es", "moment", other, "a los 10 minutos de partido me lesioné"),
	// a closing word of praise after a report that opens with its activity
	msg("es", "closing", log, "yoga en el parque, 1 hora, genial", w("yoga", 60, 0)),
	msg("en", "closing", log, "spin 45 min, great", w("cycling", 45, 0)),
	msg("en", "closing", other, "🔥 50 mins on the rower, nice"),
	// questions that look like requests for standings
	msg("en", "question", other, "where's the best place to swim round here?"),
	msg("en", "question", other, "who's got a spare yoga mat?"),
	msg("en", "question", other, "stats say 1 in 3 people don't exercise lol"),
	msg("en", "question", other, "what's the table tennis club like?"),
	// a place found shut: nothing trained unless an amount says otherwise
	msg("en", "closed", other, "went to the gym but it was closed 🙃"),
	msg("es", "closed", other, "fui a la piscina y estaba cerrada, genial"),
	msg("en", "closed", log, "gym was closed so I ran 5k instead, 28 min", w("running", 28, 0, 5)),
	// "legs are done" is the session done; "my hamstring is done" is the body
	msg("en", "done", log, "chest is done, 50 min, the bench was free for once", w("chest", 50, 0)),
	msg("en", "done", other, "my hamstring is done, no running for 3 weeks"),
	msg("en", "done", log, "ok legs are done for the week: 1h squats and lunges", w("legs", 60, 0)),
}

// TestUnseen holds the reading to the unseen-pass table. The rules read
// every message of it; the classifier behind them (gym/kindmodel.go),
// which overrules their unsure guesses when it is confident, reads four
// logs with a remark as banter ("ran 10k in 47, you guys won't believe the
// wind") and one question as a request for standings. It was kept for
// what it gains on the held-out corpora (testdata/README.md), so the table
// is held to what the two reach together.
func TestUnseen(t *testing.T) {
	testTable(t, "uns", unseen, gymeval.Thresholds{LogPrecision: 1, LogRecall: 0.97, SummaryRecall: 1, Accuracy: 0.98, Extraction: 1})
}
