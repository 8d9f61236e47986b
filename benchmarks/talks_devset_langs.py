# ruff: noqa: E501
"""Talks in other languages than English and Chinese, without title cards: the development set for chapters
of such speech.

24 talks written for this set (none quotes another text), four in each of Spanish, Portuguese (Brazil),
French, Italian, German and Dutch, 4-10 sections of 3-5 sentences each, in two families as in
``talks_devset``: ``tips`` (advice within one theme; a section seldom repeats its own name) and ``topics``
(each section one concrete subject whose nouns recur). Per language two talks open with a spoken intro and
one closes with a recap that names several topics; these belong to the first and last section. ``FIT``
and ``HELD_OUT`` hold per language one talk of each family: constants and models are chosen on ``FIT``
only. ``benchmarks/bench_chapters_langs.py`` lays them on a speaking timeline and reads them as perfect
transcripts; ``spoken(k)`` gives them as ``tests/lecturegen.TalkSpec`` fields for espeak-ng's voice of the
language, and in regenerations ``FESTIVAL_REGENERATIONS`` (7 and 8) the Italian talks alone in festival's
two Italian voices (``apt-get install festvox-italp16k festvox-itapc16k``). ``strings()`` lists every sentence and title (the tests share none of them).
"""

from __future__ import annotations

from typing import Any

from talks_devset import _sections

ES_HUERTO_EN_BALCON: dict[str, Any] = {
    "name": "es_huerto_en_balcon",
    "language": "es",
    "family": "tips",
    "intro": "En este video veremos cómo elegir macetas, qué sustrato usar y cómo regar bien un pequeño huerto en el balcón.",
    "recap": "",
    "sections": _sections(
        """
            # Elección de macetas
            Antes de comprar nada, conviene medir el espacio disponible y pensar cuánto peso aguanta la barandilla.
            Los recipientes de barro respiran mejor, aunque pesan bastante y se secan más rápido en verano.
            Si usas plástico, busca uno grueso y de color claro para que las raíces no se calienten.
            Y nunca olvides que todo contenedor necesita agujeros en el fondo para drenar el agua sobrante.
            # Sustrato adecuado
            La tierra del jardín no sirve, porque se compacta enseguida y las raíces se quedan sin aire.
            Lo ideal es una mezcla ligera de fibra de coco, compost y un poco de perlita.
            Esa combinación retiene la humedad sin encharcarse y aporta nutrientes durante las primeras semanas.
            Cada primavera conviene renovar la capa superior y añadir un puñado de humus de lombriz.
            # Riego eficiente
            Mete un dedo en la tierra y, si sale seca a dos centímetros, es momento de echar agua.
            Hazlo temprano por la mañana o al atardecer, cuando el sol no evapora casi nada.
            Un sistema de goteo sencillo con botellas recicladas te salva cuando te vas de fin de semana.
            # Luz y orientación
            Observa durante un día entero cuántas horas de sol directo recibe cada rincón de tu terraza.
            Los tomates y los pimientos necesitan al menos seis horas, mientras que las lechugas toleran algo de sombra.
            Si tu balcón mira al norte, apuesta por hierbas aromáticas como la menta o el perejil.
            Girar los tiestos cada pocos días ayuda a que las plantas crezcan rectas y parejas.
            # Cultivos fáciles
            Para la primera temporada elige especies agradecidas que perdonen algún descuido con el agua.
            Los rabanitos se cosechan en menos de un mes y dan mucha satisfacción a los principiantes.
            Las fresas quedan preciosas colgando en jardineras y los niños disfrutan recogiéndolas.
            La albahaca, la rúcula y los tomates cherry completan un pequeño huerto muy productivo.
            # Control de plagas
            Revisa el envés de las hojas un par de veces por semana, porque ahí se esconden los pulgones.
            Un chorro de agua con un poco de jabón potásico suele bastar para eliminarlos.
            Plantar caléndulas o capuchinas cerca de las hortalizas atrae insectos útiles como las mariquitas.
            Evita los insecticidas fuertes, ya que también matan a las abejas que polinizan tus flores.
        """
    ),
}


ES_DORMIR_MEJOR: dict[str, Any] = {
    "name": "es_dormir_mejor",
    "language": "es",
    "family": "tips",
    "intro": "",
    "recap": "",
    "sections": _sections(
        """
            # Horario regular
            Acostarte y levantarte siempre a la misma hora es probablemente el hábito que más ayuda.
            El cuerpo tiene un reloj interno que funciona mejor cuando le das rutinas predecibles.
            Intenta no cambiar mucho los fines de semana, aunque te apetezca quedarte en la cama.
            # Luz de mañana
            Nada más despertarte, abre las cortinas o sal unos minutos al balcón.
            La claridad natural le indica al cerebro que el día ha empezado y ajusta tu ritmo.
            Incluso en días nublados, estar al aire libre aporta mucha más intensidad que cualquier lámpara.
            Un paseo corto antes de trabajar combina bien con este hábito.
            # Cafeína y alcohol
            El café de la tarde puede seguir actuando en tu organismo hasta bien entrada la noche.
            Procura tomar el último después de comer y pasa luego a infusiones sin estimulantes.
            Recuerda que el té negro, el mate y algunos refrescos también contienen sustancias que desvelan.
            Una copa de vino te da sueño al principio, pero fragmenta el descanso durante la madrugada.
            # Pantallas nocturnas
            El brillo del móvil engaña al cerebro y retrasa la sensación natural de cansancio.
            Además, las redes sociales y los correos del trabajo mantienen la mente activa y alerta.
            Deja el teléfono cargando fuera de la habitación una hora antes de acostarte.
            Un libro en papel o un poco de música tranquila son alternativas mucho más relajantes.
            # Cena ligera
            Comer en abundancia justo antes de dormir obliga al estómago a trabajar toda la noche.
            Deja pasar unas dos o tres horas entre la última comida y el momento de acostarte.
            Las verduras, el pescado blanco o una tortilla sencilla sientan mucho mejor que los fritos.
            Y si te entra hambre tarde, un yogur o un plátano son buenas opciones.
            # Ejercicio diario
            Moverte durante el día ayuda a que el cuerpo llegue realmente cansado a la noche.
            No hace falta ir al gimnasio, basta con caminar a buen ritmo media hora.
            Eso sí, evita los entrenamientos intensos justo antes de ir a la cama, porque activan demasiado.
            # Siestas cortas
            Una cabezada después de comer puede ser muy reparadora si no se alarga demasiado.
            Lo recomendable son unos veinte minutos, sentado en el sofá mejor que metido en la cama.
            Si te cuesta conciliar el sueño por la noche, prueba a eliminarlas durante una semana.
            # Dormitorio fresco
            La temperatura corporal baja de forma natural por la noche, y una habitación caldeada lo dificulta.
            Muchos expertos sugieren mantenerla entre dieciocho y veinte grados para descansar bien.
            Ventila un rato antes de acostarte y usa sábanas de algodón o lino en verano.
            # Ruido ambiental
            El tráfico, los vecinos o un grifo que gotea pueden despertarte sin que llegues a recordarlo.
            Unos tapones de espuma bien colocados reducen bastante los sonidos molestos de la calle.
            Otra opción es un ventilador o una aplicación de sonido blanco que tape los cambios bruscos.
            Las cortinas gruesas y una alfombra también absorben parte del eco de la habitación.
            # Mente inquieta
            Si das vueltas a los problemas en la almohada, apúntalos en una libreta antes de apagar la luz.
            Escribir las tareas pendientes del día siguiente libera la cabeza y reduce la ansiedad.
            La respiración lenta, inhalando en cuatro tiempos y soltando el aire en seis, calma bastante.
            Y si pasados veinte minutos sigues despierto, levántate y haz algo tranquilo hasta que vuelva el sueño.
        """
    ),
}


ES_CAPITALES_LATINOAMERICANAS: dict[str, Any] = {
    "name": "es_capitales_latinoamericanas",
    "language": "es",
    "family": "topics",
    "intro": "Hoy recorremos varias capitales de América Latina, desde la altura de Bogotá hasta la costa de Lima y Montevideo.",
    "recap": "",
    "sections": _sections(
        """
            # Ciudad de México
            Ciudad de México se levanta sobre un antiguo lago donde los mexicas fundaron Tenochtitlan.
            En el centro de Ciudad de México, la catedral y las ruinas del Templo Mayor están junto al Zócalo.
            Ciudad de México es una de las urbes más pobladas del mundo, y su metro mueve millones de personas al día.
            La comida callejera de la ciudad, con tacos y tamales en cada esquina, es famosa en todo el planeta.
            # Bogotá
            Bogotá está a unos dos mil seiscientos metros de altura, así que conviene llevar siempre una chaqueta.
            El Museo del Oro de Bogotá guarda miles de piezas de orfebrería de los pueblos precolombinos.
            Desde el cerro de Monserrate se ve Bogotá entera extendida sobre la sabana.
            Los domingos, muchas avenidas de Bogotá se cierran a los coches para que la gente pasee en bicicleta.
            # Lima
            Lima se asoma al océano Pacífico desde unos acantilados altos en barrios como Miraflores.
            En Lima casi nunca llueve, aunque en invierno una neblina gris cubre el cielo durante semanas.
            La cocina de Lima es famosa en todo el mundo, sobre todo por el ceviche de pescado fresco.
            El centro histórico de Lima conserva balcones de madera tallada de la época colonial.
            # Quito
            Quito se extiende a lo largo de un valle andino, muy cerca de la línea del ecuador.
            El casco antiguo de Quito fue uno de los primeros lugares declarados patrimonio de la humanidad por la Unesco.
            Las iglesias de Quito, como la de la Compañía, brillan por dentro cubiertas de pan de oro.
            Al norte de Quito, en la Mitad del Mundo, la gente se fotografía con un pie en cada hemisferio.
            # La Paz
            La Paz ocupa un enorme cañón en el altiplano boliviano, con el nevado Illimani siempre al fondo.
            Aunque la capital constitucional de Bolivia es Sucre, el gobierno tiene su sede en La Paz.
            Para moverse por La Paz, muchos vecinos usan un teleférico urbano que cruza la ciudad por el aire.
            En los mercados de La Paz se venden cientos de variedades de papa cultivadas en los Andes.
            # Santiago de Chile
            Santiago de Chile se extiende al pie de la cordillera de los Andes, que en invierno se cubre de nieve.
            Desde el centro de Santiago se llega en menos de dos horas a estaciones de esquí.
            El cerro San Cristóbal ofrece una vista amplia de Santiago y de sus barrios modernos.
            # Buenos Aires
            Buenos Aires mira al Río de la Plata y tiene avenidas anchísimas como la Nueve de Julio.
            En el barrio de La Boca, en el sur de Buenos Aires, las casas de chapa lucen colores muy vivos.
            Las noches de Buenos Aires se llenan de milongas donde se baila tango hasta la madrugada.
            Sus cafés históricos, como el Tortoni, son parte de la identidad de Buenos Aires.
            # Montevideo
            Montevideo tiene una rambla de más de veinte kilómetros que bordea todo el frente costero.
            Al atardecer, los vecinos de Montevideo salen a caminar por la rambla con su termo y su mate.
            La Ciudad Vieja de Montevideo guarda el Mercado del Puerto, un antiguo galpón lleno de parrillas.
            En verano, Montevideo celebra un carnaval muy largo con murgas y tambores de candombe.
        """
    ),
}


ES_VOLCANES_FAMOSOS: dict[str, Any] = {
    "name": "es_volcanes_famosos",
    "language": "es",
    "family": "topics",
    "intro": "",
    "recap": "Así que ya conoces el Teide, el Vesubio, el Popocatépetl y el Cotopaxi, cuatro gigantes de fuego que siguen muy vivos.",
    "sections": _sections(
        """
            # Teide
            El Teide, en la isla de Tenerife, es el pico más alto de toda España.
            Alrededor del Teide se extiende un parque nacional con paisajes de lava que parecen de otro planeta.
            Un teleférico sube a los visitantes casi hasta la cima del Teide, aunque para el último tramo hace falta permiso.
            Por la noche, el cielo sobre el Teide es tan limpio que allí funcionan observatorios astronómicos.
            # Vesubio
            El Vesubio se alza junto a la bahía de Nápoles y es uno de los volcanes más vigilados del planeta.
            En el año setenta y nueve, una erupción del Vesubio sepultó las ciudades romanas de Pompeya y Herculano.
            Hoy en día, cientos de miles de personas viven en las laderas del Vesubio.
            La última erupción del Vesubio fue en mil novecientos cuarenta y cuatro, en plena Segunda Guerra Mundial.
            # Popocatépetl
            Los mexicanos llaman cariñosamente Don Goyo al Popocatépetl, que se ve desde la capital en días despejados.
            Su nombre viene del náhuatl y significa montaña que humea, algo que el Popocatépetl cumple casi a diario.
            Junto al Popocatépetl descansa el Iztaccíhuatl, y una antigua leyenda cuenta que son dos amantes.
            Las autoridades vigilan el Popocatépetl las veinticuatro horas con cámaras y sensores sísmicos.
            # Cotopaxi
            El Cotopaxi, en Ecuador, tiene un cono casi perfecto cubierto por un glaciar brillante.
            Con cerca de seis mil metros, el Cotopaxi es uno de los volcanes activos más altos del mundo.
            Muchos montañistas suben al Cotopaxi de madrugada para llegar a la cumbre antes de que la nieve se ablande.
            Si el Cotopaxi entrara en erupción, el deshielo podría provocar grandes avalanchas de lodo en los valles.
        """
    ),
}


PT_BICICLETA_PARA_O_TRABALHO: dict[str, Any] = {
    "name": "pt_bicicleta_para_o_trabalho",
    "language": "pt",
    "family": "tips",
    "intro": "Neste vídeo mostro como planejar a rota, o que vestir e como cuidar da manutenção para ir de bicicleta ao trabalho.",
    "recap": "",
    "sections": _sections(
        """
            # Escolha da bicicleta
            Para trajetos urbanos, um modelo híbrido costuma ser o mais versátil e confortável.
            Se a sua cidade tem muitas ladeiras, vale a pena considerar uma magrela com mais marchas.
            O tamanho do quadro precisa combinar com a sua altura, senão as costas reclamam rapidinho.
            Paralamas e um bagageiro traseiro fazem muita diferença para quem pedala todos os dias.
            # Planejamento da rota
            O caminho mais curto de carro quase nunca é o melhor para quem vai pedalando.
            Procure ciclovias, ruas residenciais e parques, mesmo que o trajeto fique um pouco mais longo.
            Faça o percurso num domingo tranquilo antes de encarar a primeira segunda-feira de verdade.
            Aplicativos de mapas com opção para ciclistas ajudam a evitar subidas muito puxadas.
            # Roupas e suor
            Não precisa de nada profissional, uma camiseta leve e uma bermuda confortável já resolvem.
            Leve o traje do escritório dobrado na mochila ou deixe algumas peças no próprio trabalho.
            Lenços umedecidos e um desodorante na gaveta salvam o dia quando não há chuveiro disponível.
            Pedalar num ritmo mais calmo na ida também ajuda a chegar menos molhado.
            # Equipamentos de segurança
            O capacete deve ficar firme na cabeça, sem balançar quando você mexe o rosto.
            Luz branca na frente e vermelha atrás são indispensáveis para quem volta depois do pôr do sol.
            Um colete refletivo ou faixas na mochila deixam você muito mais visível para os motoristas.
            Uma campainha simples também é útil para avisar pedestres distraídos na ciclovia.
            # Trânsito urbano
            Pedale sempre no mesmo sentido dos carros e mantenha uma distância segura dos veículos estacionados.
            Uma porta aberta de repente é um dos acidentes mais comuns entre ciclistas.
            Sinalize com o braço antes de virar e procure fazer contato visual com os motoristas.
            Nunca fique no ponto cego de ônibus e caminhões, principalmente nos cruzamentos.
            # Dias de chuva
            Uma capa de náilon leve cabe dobrada na mochila e resolve a maioria dos temporais de verão.
            Com o asfalto molhado, os freios demoram mais a responder, então reduza a velocidade.
            Cuidado redobrado com faixas de pedestre pintadas e tampas de bueiro, que ficam muito escorregadias.
            Se o tempo fechar de vez, não há vergonha nenhuma em deixar a magrela e pegar o metrô.
            # Manutenção básica
            Calibre os pneus toda semana, porque pneu murcho cansa mais e fura com facilidade.
            Limpar e lubrificar a corrente leva cinco minutos e evita aquele barulho chato de rangido.
            Aprenda a trocar uma câmara de ar e carregue sempre um kit de remendo com você.
            Uma revisão completa na oficina a cada seis meses já mantém tudo funcionando bem.
            # Onde estacionar
            Pergunte no prédio se existe um bicicletário ou uma vaga coberta para ciclistas.
            Na rua, prenda o quadro e a roda num poste firme, usando um cadeado em U.
            Evite deixar a magrela parada no mesmo lugar durante a noite inteira.
            Tirar o banco e as luzes removíveis desanima bastante os ladrões de ocasião.
        """
    ),
}


PT_ESTUDAR_PARA_PROVAS: dict[str, Any] = {
    "name": "pt_estudar_para_provas",
    "language": "pt",
    "family": "tips",
    "intro": "",
    "recap": "",
    "sections": _sections(
        """
            # Cronograma semanal
            Divida o conteúdo das matérias em blocos pequenos e distribua tudo pelos dias disponíveis.
            Comece pelos assuntos mais difíceis, quando a cabeça ainda está descansada.
            Deixe sempre uma folga no sábado ou no domingo para recuperar o que ficou atrasado.
            Um plano realista, que você consegue cumprir, vale muito mais do que uma agenda perfeita.
            # Local silencioso
            Escolha um cantinho da casa que sirva só para isso, longe da televisão e da cozinha.
            Deixe o celular em outro cômodo ou pelo menos com as notificações desligadas.
            Uma mesa organizada, com boa iluminação e uma garrafa de água, evita interrupções desnecessárias.
            Se em casa for impossível, a biblioteca do bairro costuma ser uma ótima alternativa.
            # Revisão ativa
            Reler o caderno várias vezes dá uma falsa sensação de que você já aprendeu.
            Feche o material e tente escrever de memória tudo o que lembra sobre o assunto.
            Resolver questões de provas antigas mostra exatamente onde estão as suas lacunas.
            Explicar a matéria em voz alta, como se fosse para um amigo, fixa o conteúdo de verdade.
            # Descanso e pausas
            Depois de uns quarenta minutos de foco, levante, beba água e estique as pernas.
            O cérebro consolida o que aprendeu durante o sono, então virar a noite atrapalha mais do que ajuda.
            Reserve um tempo para uma caminhada, um esporte ou uma conversa com os amigos.
            Na véspera da prova, faça só uma revisão leve e durma cedo.
        """
    ),
}


PT_FRUTAS_BRASILEIRAS: dict[str, Any] = {
    "name": "pt_frutas_brasileiras",
    "language": "pt",
    "family": "topics",
    "intro": "Hoje vamos conhecer algumas frutas típicas do Brasil, como o açaí, a jabuticaba e o caju.",
    "recap": "",
    "sections": _sections(
        """
            # Açaí
            O açaí nasce em palmeiras altas da Amazônia, em cachos de bolinhas roxas quase pretas.
            No Pará, o açaí é comido no almoço, sem açúcar, acompanhado de peixe frito e farinha.
            Já no resto do país, o açaí virou sobremesa gelada, servida na tigela com granola e banana.
            Os coletores sobem nos açaizeiros usando uma peconha, um laço de fibra preso nos pés.
            # Jabuticaba
            A jabuticaba chama atenção porque as frutinhas nascem grudadas direto no tronco da árvore.
            A casca da jabuticaba é escura e firme, e a polpa branca por dentro é muito doce.
            A jabuticaba estraga rápido depois de colhida, por isso muitas famílias transformam a safra em geleia ou licor.
            Em Minas Gerais, subir no pé de jabuticaba é uma lembrança de infância de muita gente.
            # Caju
            O que a gente chama de caju é, na verdade, um pedúnculo carnoso, e a fruta verdadeira é a castanha.
            O suco de caju é muito popular no Nordeste e tem bastante vitamina C.
            A castanha de caju precisa ser torrada antes de comer, porque a casca crua tem um óleo que queima a pele.
            Perto de Natal existe um cajueiro gigantesco que, sozinho, cobre uma área maior que um campo de futebol.
            # Cupuaçu
            O cupuaçu é parente do cacau e tem uma casca marrom dura, parecida com um coco pequeno.
            A polpa do cupuaçu é branca, cremosa e tem um perfume forte que lembra abacaxi e chocolate.
            Na região Norte, o cupuaçu vira suco, sorvete, bombom e um creme delicioso de sobremesa.
            Das sementes do cupuaçu se faz o cupulate, um produto parecido com o chocolate.
            # Pitanga
            A pitanga é uma frutinha vermelha cheia de gomos, parecida com uma abóbora em miniatura.
            A pitangueira é muito comum em quintais e calçadas, do Nordeste até o Sul do país.
            O sabor da pitanga mistura doce e azedinho, com um leve amargor no final.
            Quando a pitanga fica quase roxa, está no ponto certo para fazer suco.
            # Graviola
            A graviola é grande, verde e coberta de espinhos moles que não machucam.
            Por dentro, a graviola tem uma polpa branca e fibrosa, com sementes pretas espalhadas.
            O suco de graviola é refrescante e aparece em quase todo cardápio de lanchonete no Nordeste.
            # Maracujá
            O maracujá nasce de uma flor lindíssima, cheia de filamentos roxos e brancos.
            A casca do maracujá amarelo fica enrugada quando a fruta está bem madura.
            O suco de maracujá tem fama de acalmar, e muita gente toma antes de dormir.
            A mousse de maracujá é uma das sobremesas mais queridas das festas de família.
            # Goiaba
            A goiaba pode ter a polpa branca ou vermelha e um cheiro forte que toma conta da cozinha.
            Da goiaba se faz a goiabada, um doce em barra que aparece em toda padaria.
            Goiabada com queijo minas ganhou o apelido carinhoso de Romeu e Julieta.
            Pouca gente sabe, mas a goiaba tem bem mais vitamina C do que a laranja.
            # Acerola
            A acerola é pequena, vermelha e brilhante, e cresce em arbustos fáceis de cultivar no quintal.
            Poucas frutas do mundo têm tanta vitamina C quanto a acerola.
            O suco de acerola deve ser tomado logo depois de pronto, porque perde as propriedades rapidinho.
            # Pequi
            O pequi é a fruta símbolo do Cerrado e tem uma polpa amarela com cheiro muito marcante.
            Em Goiás, o arroz com pequi é prato de domingo e motivo de orgulho regional.
            Nunca morda o caroço do pequi, porque ele é cheio de espinhos finos por dentro.
            O jeito certo de comer pequi é roer a polpa com cuidado, bem devagar.
        """
    ),
}


PT_RITMOS_BRASILEIROS: dict[str, Any] = {
    "name": "pt_ritmos_brasileiros",
    "language": "pt",
    "family": "topics",
    "intro": "",
    "recap": "Do samba ao maracatu, passando pelo forró, pelo frevo e pelo choro, o Brasil tem ritmo para todo gosto.",
    "sections": _sections(
        """
            # Samba
            O samba nasceu da herança africana e ganhou forma no Rio de Janeiro no começo do século vinte.
            Nas rodas de samba, os músicos tocam pandeiro, cavaquinho e surdo em volta de uma mesa.
            No Carnaval, as escolas de samba desfilam com milhares de integrantes, carros alegóricos e fantasias brilhantes.
            Cada escola passa o ano inteiro ensaiando o seu samba-enredo para a avenida.
            # Bossa nova
            A bossa nova surgiu no fim dos anos cinquenta, nos apartamentos da zona sul carioca.
            João Gilberto criou a batida de violão que virou a marca registrada da bossa nova.
            Com Tom Jobim e Vinicius de Moraes, a bossa nova ganhou o mundo e chegou ao jazz americano.
            O canto da bossa nova é baixinho, quase falado, como uma conversa ao pé do ouvido.
            # Forró
            O forró é a trilha sonora das festas juninas no Nordeste, com sanfona, zabumba e triângulo.
            Luiz Gonzaga, o Rei do Baião, levou o forró do sertão para as rádios de todo o país.
            Dançar forró é coisa de casal, bem agarradinho, com passos curtos para lá e para cá.
            Em Campina Grande e Caruaru, o São João reúne multidões para dançar forró a noite toda.
            # Frevo
            O frevo é o ritmo acelerado do Carnaval do Recife e de Olinda, tocado por orquestras de metais.
            Os passistas de frevo dançam com pequenas sombrinhas coloridas e fazem acrobacias impressionantes.
            O nome frevo vem de ferver, por causa da agitação da multidão nas ruas.
            Em dois mil e doze, o frevo foi reconhecido pela Unesco como patrimônio imaterial da humanidade.
            # Choro
            O choro nasceu no Rio do século dezenove e é considerado a primeira música urbana brasileira.
            Um conjunto de choro costuma ter flauta, cavaquinho, pandeiro e violão de sete cordas.
            Pixinguinha, um dos grandes mestres do choro, compôs melodias que todo brasileiro já ouviu alguma vez.
            Nas rodas de choro, os músicos improvisam e se desafiam em passagens muito rápidas.
            # Maracatu
            O maracatu vem de Pernambuco e tem raízes nas coroações de reis negros do período colonial.
            No maracatu de baque virado, dezenas de alfaias fazem um som grave que treme o chão.
            O cortejo do maracatu traz rei, rainha e uma dama que carrega a boneca chamada calunga.
            Há também o maracatu rural, com caboclos de lança enfeitados de fitas e golas brilhantes.
        """
    ),
}


FR_ENTRETIEN_PLANTES_INTERIEUR: dict[str, Any] = {
    "name": "fr_entretien_plantes_interieur",
    "language": "fr",
    "family": "tips",
    "intro": "Dans cette vidéo, on parle d'arrosage, de lumière et de rempotage pour garder vos plantes d'intérieur en pleine forme.",
    "recap": "",
    "sections": _sections(
        """
            # Arrosage
            Avant de verser quoi que ce soit, enfoncez simplement un doigt dans la terre sur quelques centimètres.
            Si elle colle encore au doigt, attendez un jour ou deux avant de donner de l'eau.
            La plupart des plantes meurent noyées plutôt que desséchées, c'est vraiment l'erreur la plus fréquente.
            Préférez une eau à température ambiante, et videz toujours la soucoupe une demi-heure après.
            # Lumière et exposition
            Une fenêtre orientée à l'est offre un soleil doux le matin qui convient à presque tout le monde.
            Derrière une vitre plein sud en été, certaines feuilles brûlent en quelques heures seulement.
            Un voilage léger suffit souvent à filtrer les rayons trop forts de l'après-midi.
            Si vos tiges s'allongent et pâlissent, la plante réclame clairement un emplacement plus clair.
            # Choix du terreau
            Le mélange universel vendu en jardinerie fait l'affaire pour beaucoup d'espèces vertes classiques.
            Pour les cactus et les succulentes, ajoutez une bonne poignée de sable ou de pouzzolane.
            Les orchidées, elles, poussent dans de l'écorce de pin et détestent la terre compacte.
            Un substrat bien drainant évite que les racines restent humides trop longtemps et pourrissent.
            # Rempotage
            Le meilleur moment, c'est au printemps, quand la croissance reprend après la pause hivernale.
            Choisissez un contenant à peine plus large que l'ancien, deux ou trois centimètres suffisent.
            Démêlez doucement les racines qui tournent en rond avant d'installer la motte au centre.
            Après l'opération, laissez la plante à l'ombre quelques jours pour qu'elle récupère tranquillement.
            # Humidité de l'air
            Nos appartements chauffés en hiver sont souvent bien plus secs qu'une forêt tropicale.
            Regroupez plusieurs pots ensemble, ils créent un petit microclimat plus agréable pour chacun.
            Un plateau rempli de billes d'argile et d'un fond d'eau aide aussi beaucoup.
            Les pointes marron sur les feuilles de calathea sont souvent le premier signe d'une atmosphère trop sèche.
            # Parasites courants
            Retournez les feuilles de temps en temps, car les petites bêtes se cachent souvent dessous.
            Les cochenilles ressemblent à de minuscules flocons de coton collés le long des tiges.
            Un coton imbibé d'alcool ménager permet de les retirer une par une, avec un peu de patience.
            Contre les araignées rouges, une douche tiède régulière sur le feuillage fait vraiment des merveilles.
            Isolez toujours une nouvelle plante pendant deux semaines avant de la placer avec les autres.
        """
    ),
}


FR_DEMENAGER_A_L_ETRANGER: dict[str, Any] = {
    "name": "fr_demenager_a_l_etranger",
    "language": "fr",
    "family": "tips",
    "intro": "",
    "recap": "",
    "sections": _sections(
        """
            # Démarches administratives
            Commencez par vérifier si vous avez besoin d'un visa ou d'un simple titre de séjour.
            Certains dossiers demandent des mois de traitement, alors mieux vaut s'y prendre très tôt.
            Faites traduire vos diplômes et votre acte de naissance par un traducteur assermenté.
            Gardez aussi des copies numériques de chaque papier important dans un espace en ligne sécurisé.
            # Trouver un logement
            Évitez de signer un bail à distance sans avoir vu l'appartement, même en photo.
            Une location meublée pour le premier mois vous laisse le temps de découvrir les quartiers.
            Méfiez-vous des annonces trop belles qui demandent un virement avant toute visite.
            Renseignez-vous sur les charges, car dans certains pays le chauffage n'est jamais inclus.
            # Banque et assurance
            Ouvrir un compte sur place est souvent nécessaire pour toucher un salaire ou payer un loyer.
            En attendant, une carte sans frais à l'étranger vous évite des commissions désagréables.
            Vérifiez combien de temps votre couverture santé française reste valable après votre départ.
            Une mutuelle internationale peut combler les trous, surtout si vous partez hors d'Europe.
            # S'intégrer sur place
            Apprendre quelques phrases de la langue locale ouvre énormément de portes dès les premiers jours.
            Les associations d'expatriés sont utiles, mais ne restez pas uniquement entre Français.
            Inscrivez-vous à un club de sport ou à une activité du quartier pour rencontrer des voisins.
            Le mal du pays arrive souvent après trois mois, et c'est tout à fait normal.
        """
    ),
}


FR_REGIONS_VITICOLES: dict[str, Any] = {
    "name": "fr_regions_viticoles",
    "language": "fr",
    "family": "topics",
    "intro": "",
    "recap": "Voilà, de Bordeaux à la Champagne en passant par l'Alsace et la Provence, chaque région a vraiment son propre caractère.",
    "sections": _sections(
        """
            # Bordeaux
            Le Bordelais s'étend autour de la Garonne et de la Dordogne, jusqu'à l'estuaire de la Gironde.
            Les vins de Bordeaux sont presque toujours des assemblages, surtout de merlot et de cabernet sauvignon.
            Sur la rive gauche de Bordeaux, le Médoc est réputé pour ses grands châteaux prestigieux.
            Bordeaux produit aussi des blancs liquoreux célèbres, comme ceux de Sauternes.
            # Bourgogne
            En Bourgogne, tout repose sur le pinot noir pour les rouges et le chardonnay pour les blancs.
            Les vignerons de Bourgogne parlent de climats pour désigner chaque petite parcelle bien délimitée.
            La Côte de Nuits et la Côte de Beaune forment le cœur de la Bourgogne viticole.
            Certaines parcelles de Bourgogne ne font que quelques hectares et leurs bouteilles valent une fortune.
            # Champagne
            La Champagne est la région viticole la plus au nord, avec un climat frais et des sols de craie.
            Le champagne naît d'une seconde fermentation en bouteille, qui crée ses fines bulles.
            Les grandes maisons de Champagne assemblent souvent des vins de plusieurs années différentes.
            Sous Reims et Épernay, des kilomètres de caves creusées dans la craie abritent des millions de bouteilles.
            # Vallée de la Loire
            La vallée de la Loire suit le fleuve sur des centaines de kilomètres, de Sancerre jusqu'à Nantes.
            Dans la Loire, on trouve le sauvignon blanc à Sancerre et le chenin autour de Vouvray.
            Près de Nantes, le muscadet de la Loire accompagne parfaitement les huîtres et les fruits de mer.
            Les châteaux de la Loire attirent les touristes, mais les caves troglodytes méritent aussi le détour.
            # Alsace
            L'Alsace est coincée entre les Vosges et le Rhin, ce qui la protège de la pluie.
            Contrairement aux autres régions, l'Alsace indique le cépage directement sur l'étiquette.
            Le riesling et le gewurztraminer d'Alsace sont servis dans de longues bouteilles fines appelées flûtes.
            La route des vins d'Alsace traverse des villages fleuris aux maisons à colombages.
            # Vallée du Rhône
            La vallée du Rhône se divise en deux parties bien distinctes, le nord et le sud.
            Au nord du Rhône, la syrah pousse sur des coteaux très raides au-dessus du fleuve.
            Dans le sud du Rhône, Châteauneuf-du-Pape peut assembler jusqu'à treize cépages différents.
            Le mistral souffle fort sur les vignes du Rhône et les garde saines et sèches.
            # Provence
            La Provence est d'abord célèbre pour ses rosés pâles, qu'on boit bien frais en été.
            Les vignes de Provence poussent entre garrigue, oliviers et lavande, sous un soleil généreux.
            À Bandol, en Provence, le mourvèdre donne pourtant des rouges puissants qui vieillissent très bien.
            # Languedoc
            Le Languedoc est le plus grand vignoble de France en superficie.
            Longtemps connu pour ses vins de table, le Languedoc a énormément gagné en qualité.
            Les jeunes vignerons du Languedoc apprécient ses terres abordables et sa grande liberté.
            Entre mer et montagne, le Languedoc offre des paysages très variés, du Minervois aux Corbières.
        """
    ),
}


FR_PEINTRES_IMPRESSIONNISTES: dict[str, Any] = {
    "name": "fr_peintres_impressionnistes",
    "language": "fr",
    "family": "topics",
    "intro": "Dans cette vidéo, on part à la rencontre des impressionnistes, de Claude Monet à Berthe Morisot en passant par Edgar Degas.",
    "recap": "",
    "sections": _sections(
        """
            # Claude Monet
            C'est une toile de Claude Monet, Impression, soleil levant, qui a involontairement donné son nom au mouvement.
            Monet aimait peindre le même motif à différentes heures, comme ses séries de meules ou de cathédrales.
            À Giverny, Monet a créé un jardin d'eau avec un pont japonais et des nymphéas.
            Vers la fin de sa vie, Monet peignait des nymphéas immenses malgré une vue très affaiblie.
            # Auguste Renoir
            Auguste Renoir a commencé comme peintre sur porcelaine avant de se consacrer à la toile.
            Renoir adorait peindre les gens heureux, les bals, les terrasses et les après-midi au bord de l'eau.
            Le Bal du moulin de la Galette reste sans doute le tableau le plus joyeux de Renoir.
            Même souffrant d'arthrite à la fin de sa vie, Renoir continuait à peindre chaque jour.
            # Edgar Degas
            Edgar Degas préférait se dire réaliste, mais il exposait avec le groupe impressionniste.
            Les danseuses de l'Opéra sont le sujet que Degas a représenté le plus souvent.
            Degas travaillait beaucoup au pastel, une technique qui lui permettait de saisir le mouvement rapidement.
            On connaît aussi de Degas une célèbre sculpture, la Petite Danseuse de quatorze ans.
            # Édouard Manet
            Édouard Manet n'a jamais exposé avec les impressionnistes, et pourtant tous le considéraient comme un modèle.
            Le Déjeuner sur l'herbe de Manet a fait scandale au Salon des refusés.
            Avec Olympia, Manet a encore choqué le public en peignant une femme nue sans aucun prétexte mythologique.
            À la fin de sa vie, Manet a adopté une palette plus claire, sous l'influence de ses jeunes amis.
            # Camille Pissarro
            Camille Pissarro est le seul à avoir participé aux huit expositions impressionnistes.
            Pissarro était une sorte de père pour le groupe, toujours patient et généreux en conseils.
            Pissarro a peint les campagnes de Pontoise et d'Éragny, mais aussi les grands boulevards parisiens.
            Pendant quelques années, Pissarro a même essayé la technique des petits points de Seurat.
            # Alfred Sisley
            Alfred Sisley, né à Paris de parents anglais, est resté fidèle au paysage toute sa vie.
            Sisley peignait surtout les bords de Seine et du Loing, autour de Moret.
            Les ciels de Sisley occupent parfois plus de la moitié de la toile, avec des nuages très vivants.
            Contrairement à ses amis, Sisley n'a pas connu le succès de son vivant et est mort pauvre.
            # Berthe Morisot
            Berthe Morisot a été l'une des premières femmes à exposer avec les impressionnistes.
            Morisot peignait surtout des scènes intimes, des femmes, des enfants et des intérieurs lumineux.
            Sa touche très libre, presque esquissée, faisait de Morisot l'une des plus audacieuses du groupe.
            Berthe Morisot était aussi la belle-sœur d'Édouard Manet, puisqu'elle avait épousé son frère Eugène.
            # Mary Cassatt
            Mary Cassatt est une Américaine installée à Paris, que Degas a invitée à rejoindre le groupe.
            Cassatt a consacré une grande partie de son œuvre aux mères et à leurs enfants.
            Inspirée par les estampes japonaises, Cassatt a réalisé de très belles gravures en couleur.
            De retour aux États-Unis, Mary Cassatt a aidé de riches collectionneurs à acheter des impressionnistes.
            # Gustave Caillebotte
            Gustave Caillebotte était peintre, mais aussi un riche mécène qui achetait les toiles de ses amis.
            Les Raboteurs de parquet de Caillebotte montrent des ouvriers au travail, un sujet rare à l'époque.
            Caillebotte aimait les vues plongeantes sur le nouveau Paris d'Haussmann, avec ses larges rues.
            À sa mort, Caillebotte a légué sa collection à l'État, ce qui a enrichi les musées français.
            # Paul Cézanne
            Paul Cézanne a exposé avec les impressionnistes avant de suivre une voie très personnelle.
            Cézanne a peint la montagne Sainte-Victoire des dizaines de fois, depuis les environs d'Aix-en-Provence.
            Ses pommes et ses natures mortes montrent que Cézanne cherchait la structure cachée des objets.
            Picasso et les cubistes voyaient en Cézanne une sorte de père pour toute leur génération.
        """
    ),
}


IT_VIAGGIARE_IN_TRENO: dict[str, Any] = {
    "name": "it_viaggiare_in_treno",
    "language": "it",
    "family": "tips",
    "intro": "In questo video vediamo come scegliere il biglietto, preparare il bagaglio e muoversi in stazione per viaggiare in treno senza stress.",
    "recap": "",
    "sections": _sections(
        """
            # Scegliere il biglietto
            Se prenotate con qualche settimana di anticipo, le tariffe sui treni veloci scendono parecchio.
            Le offerte più economiche di solito non sono rimborsabili, quindi controllate bene le condizioni.
            Per le tratte regionali il prezzo è fisso e potete comprarlo anche il giorno stesso.
            Ricordatevi di convalidarlo prima di salire, altrimenti rischiate una multa anche se avete pagato.
            # Preparare il bagaglio
            Una valigia piccola e leggera vi permette di salire e scendere senza fare fatica.
            Gli spazi sopra i sedili sono limitati, quindi evitate borse troppo rigide e ingombranti.
            Tenete a portata di mano acqua, qualcosa da mangiare e un caricatore per il telefono.
            Una sciarpa o una felpa è utile, perché l'aria condizionata a bordo può essere fortissima.
            # In stazione
            Arrivate almeno un quarto d'ora prima, soprattutto nelle grandi città dove i binari sono lontani.
            Il numero del binario compare sul tabellone spesso solo pochi minuti prima della partenza.
            Controllate sul display la posizione della vostra carrozza, così non correte lungo tutto il marciapiede.
            Attenzione ai borseggiatori vicino alle biglietterie automatiche e nelle zone più affollate.
            # A bordo del treno
            Una volta seduti, parlate al telefono a voce bassa, soprattutto nelle carrozze silenziose.
            Il controllore passa quasi sempre, quindi tenete pronto il codice della prenotazione sul telefono.
            Nei viaggi lunghi conviene alzarsi ogni tanto e sgranchirsi le gambe nel corridoio.
            Prima della vostra fermata, avvicinatevi alla porta con calma, perché le soste sono brevissime.
        """
    ),
}


IT_IMPARARE_LA_CHITARRA: dict[str, Any] = {
    "name": "it_imparare_la_chitarra",
    "language": "it",
    "family": "tips",
    "intro": "",
    "recap": "Ricapitolando, scegliete bene lo strumento, curate la postura, accordate sempre e dedicate un po' di tempo ogni giorno ai primi accordi.",
    "sections": _sections(
        """
            # Scegliere lo strumento
            Per cominciare, una chitarra classica con corde di nylon è più gentile con le dita.
            Se sognate il rock o il pop, un'acustica economica ma ben regolata va benissimo.
            Fatevi aiutare da un negozio serio, perché le corde troppo alte rendono tutto faticoso.
            Non serve spendere molto all'inizio, potete sempre cambiare quando avrete più esperienza.
            # Postura corretta
            Sedetevi su una sedia senza braccioli, con la schiena dritta e le spalle rilassate.
            Il corpo dello strumento appoggia sulla gamba destra, vicino al busto, senza stringerlo troppo.
            Il polso della mano sinistra non deve piegarsi troppo, altrimenti dopo poco inizia a fare male.
            Uno specchio vi aiuta a controllare la posizione mentre suonate.
            # Accordare la chitarra
            Prima di ogni sessione, controllate sempre l'intonazione delle corde, anche se sembra tutto a posto.
            Quei piccoli apparecchi a pinza costano pochissimo e si agganciano direttamente alla paletta.
            Girate le meccaniche lentamente e avvicinatevi alla nota sempre salendo, mai scendendo.
            Con il tempo imparerete anche a farlo a orecchio, confrontando una corda con l'altra.
            # Primi accordi
            Partite da posizioni semplici come mi minore e la minore, che usano solo due dita.
            Premete con la punta dei polpastrelli, appena dietro la barretta metallica del tasto.
            Suonate una corda alla volta per sentire se qualcuna risulta smorzata o ronza.
            All'inizio i cambi saranno lentissimi, ma è normale e migliorano giorno dopo giorno.
            # Ritmo e pennata
            La mano destra è importante quanto la sinistra, anche se i principianti spesso la trascurano.
            Provate a muovere il braccio su e giù in modo costante, anche quando non colpite le corde.
            Un metronomo lento vi insegna a restare a tempo senza accelerare nei passaggi facili.
            Un plettro medio è un buon compromesso tra controllo e morbidezza del suono.
            # Dolore alle dita
            Nelle prime settimane i polpastrelli bruciano, ed è un fastidio che capita davvero a tutti.
            Fate pause brevi ma frequenti invece di suonare un'ora intera senza fermarvi.
            Dopo un mese si formano piccoli calli e la sensazione passa quasi del tutto.
            Se invece sentite fitte al polso o al braccio, fermatevi e riposate per qualche giorno.
            # Routine di studio
            Venti minuti ogni giorno valgono molto di più di tre ore concentrate nel fine settimana.
            Dividete il tempo tra riscaldamento, esercizi tecnici e una canzone che vi piace davvero.
            Tenete un quaderno dove annotate cosa avete provato e cosa vi ha messo in difficoltà.
            Lasciare lo strumento fuori dalla custodia vi invoglia a prenderlo in mano più spesso.
            # Canzoni per principianti
            Scegliete brani con tre o quattro posizioni e un tempo tranquillo, senza cambi troppo rapidi.
            Molti classici della musica leggera italiana girano sugli stessi giri armonici e sono perfetti.
            Suonare sopra la registrazione originale vi costringe a tenere il tempo come in una band.
            Quando riuscite a cantare mentre suonate, avrete fatto un grande salto in avanti.
        """
    ),
}


IT_VULCANI_ITALIANI: dict[str, Any] = {
    "name": "it_vulcani_italiani",
    "language": "it",
    "family": "topics",
    "intro": "Oggi facciamo un giro tra i vulcani italiani, dall'Etna al Vesuvio fino allo Stromboli nelle isole Eolie.",
    "recap": "",
    "sections": _sections(
        """
            # Etna
            L'Etna è il vulcano attivo più alto d'Europa e domina tutta la costa orientale della Sicilia.
            I catanesi chiamano l'Etna semplicemente la Montagna, e convivono da secoli con le sue eruzioni.
            Le colate dell'Etna hanno reso i terreni fertilissimi, perfetti per vigneti, pistacchi e agrumi.
            D'inverno si può perfino sciare sui versanti dell'Etna, con vista sul mare.
            # Vesuvio
            Il Vesuvio è famoso per l'eruzione che distrusse Pompei ed Ercolano nel settantanove dopo Cristo.
            Oggi il Vesuvio è tranquillo, ma attorno al suo cono vivono centinaia di migliaia di persone.
            Un sentiero facile porta fino al cratere del Vesuvio, da cui si vede tutto il golfo di Napoli.
            L'ultima eruzione del Vesuvio risale al millenovecentoquarantaquattro, durante la Seconda guerra mondiale.
            # Stromboli
            Lo Stromboli è un'isola vulcanica delle Eolie che erutta in modo quasi continuo da moltissimo tempo.
            Ogni pochi minuti lo Stromboli lancia fontane di lava, uno spettacolo incredibile soprattutto di notte.
            Gli antichi marinai chiamavano lo Stromboli il faro del Mediterraneo.
            Per salire sulla cima dello Stromboli oggi bisogna essere accompagnati da una guida autorizzata.
            # Isola di Vulcano
            L'isola di Vulcano ha dato il nome a tutti i vulcani del mondo, in onore del dio del fuoco.
            Sull'isola di Vulcano si sente subito l'odore di zolfo che esce dalle fumarole.
            Per anni i turisti hanno fatto il bagno nelle pozze di fango caldo di Vulcano.
            Dal bordo della Fossa di Vulcano si vedono quasi tutte le altre isole Eolie.
            # Campi Flegrei
            I Campi Flegrei sono una grande caldera a ovest di Napoli, in parte nascosta sotto il mare.
            Nei Campi Flegrei il suolo si alza e si abbassa lentamente, un fenomeno chiamato bradisismo.
            La Solfatara di Pozzuoli, nel cuore dei Campi Flegrei, fuma e ribolle in continuazione.
            Gli scienziati tengono i Campi Flegrei sotto controllo costante, perché la zona è molto abitata.
            # Ischia
            Ischia è un'isola vulcanica nel golfo di Napoli, famosa in tutto il mondo per le sue terme.
            Le sorgenti calde di Ischia nascono proprio dall'attività vulcanica nascosta sotto l'isola.
            Il monte Epomeo, il punto più alto di Ischia, in realtà non è un vero vulcano.
            A Ischia i terremoti sono frequenti, segno che il sottosuolo è ancora vivo.
        """
    ),
}


IT_ARTISTI_RINASCIMENTO: dict[str, Any] = {
    "name": "it_artisti_rinascimento",
    "language": "it",
    "family": "topics",
    "intro": "",
    "recap": "",
    "sections": _sections(
        """
            # Masaccio
            Masaccio morì giovanissimo, prima dei trent'anni, ma cambiò per sempre la pittura italiana.
            Nella Cappella Brancacci a Firenze, Masaccio dipinse figure solide che sembrano occupare uno spazio reale.
            La Trinità di Masaccio, in Santa Maria Novella, è uno dei primi esempi di prospettiva perfetta.
            Anche Michelangelo, da ragazzo, andava a copiare gli affreschi di Masaccio.
            # Beato Angelico
            Beato Angelico era un frate domenicano, e dipingeva quasi soltanto soggetti religiosi.
            Nel convento di San Marco, Beato Angelico affrescò le celle dei frati con scene semplici e luminose.
            L'Annunciazione di Beato Angelico, in cima alle scale di San Marco, è tra le più amate.
            I colori di Beato Angelico, azzurri intensi e ori, hanno qualcosa di delicatissimo.
            # Piero della Francesca
            Piero della Francesca era pittore ma anche matematico, e scrisse trattati sulla prospettiva.
            Ad Arezzo, Piero della Francesca affrescò le Storie della Vera Croce nella chiesa di San Francesco.
            Le figure di Piero sono calme, quasi immobili, immerse in una luce chiara e geometrica.
            Il Ritratto dei duchi di Urbino di Piero della Francesca è oggi agli Uffizi.
            # Sandro Botticelli
            Sandro Botticelli lavorò a lungo per i Medici, nella Firenze di Lorenzo il Magnifico.
            La Nascita di Venere di Botticelli mostra la dea che arriva a riva su una conchiglia.
            Anche la Primavera di Botticelli è piena di figure mitologiche, fiori e piante riconoscibili.
            Negli ultimi anni, influenzato dalle prediche di Savonarola, Botticelli tornò a temi più severi.
            # Andrea Mantegna
            Andrea Mantegna si formò a Padova e poi divenne pittore di corte dei Gonzaga a Mantova.
            Nella Camera degli Sposi, Mantegna dipinse un finto oculo sul soffitto da cui si affacciano personaggi.
            Il Cristo morto di Mantegna è visto dai piedi, con uno scorcio audace e impressionante.
            Mantegna amava l'antichità classica e riempiva i suoi quadri di rovine e dettagli archeologici.
            # Leonardo da Vinci
            Leonardo da Vinci era pittore, ingegnere, anatomista e inventore, sempre curioso di tutto.
            La Gioconda di Leonardo, oggi al Louvre, è forse il ritratto più famoso del mondo.
            Nel refettorio di Santa Maria delle Grazie a Milano, Leonardo dipinse l'Ultima Cena.
            I quaderni di Leonardo sono pieni di macchine volanti, studi di anatomia e appunti scritti al contrario.
            # Michelangelo
            Michelangelo si considerava soprattutto uno scultore, anche se è celebre pure come pittore e architetto.
            Il David di Michelangelo fu scolpito da un unico blocco di marmo che altri avevano scartato.
            Per la volta della Cappella Sistina, Michelangelo lavorò quattro anni su impalcature altissime.
            Da anziano, Michelangelo progettò anche la grande cupola di San Pietro a Roma.
            # Raffaello
            Raffaello nacque a Urbino e si fece notare giovanissimo per la grazia delle sue Madonne.
            A Roma Raffaello decorò le Stanze Vaticane, dove si trova la famosa Scuola di Atene.
            Nella Scuola di Atene Raffaello diede a Platone il volto di Leonardo da Vinci.
            Raffaello morì a soli trentasette anni, e fu sepolto nel Pantheon.
            # Giovanni Bellini
            Giovanni Bellini portò la pittura veneziana a un nuovo livello, grazie all'uso della pittura a olio.
            Le Madonne di Bellini sono immerse in paesaggi dolci e in una luce morbida e dorata.
            Nella bottega di Bellini si formarono giovani talenti come Giorgione e Tiziano.
            La pala di San Zaccaria di Bellini si può ancora vedere nella chiesa veneziana per cui fu dipinta.
            # Tiziano
            Tiziano fu il grande maestro della pittura veneziana del Cinquecento e visse molto a lungo.
            Il colore per Tiziano contava più del disegno, e le sue pennellate diventarono sempre più libere.
            L'Assunta di Tiziano, nella basilica dei Frari a Venezia, è una pala enorme e luminosissima.
            Re e imperatori volevano un ritratto di Tiziano, compreso l'imperatore Carlo Quinto.
        """
    ),
}


DE_BALKONGARTEN_ANLEGEN: dict[str, Any] = {
    "name": "de_balkongarten_anlegen",
    "language": "de",
    "family": "tips",
    "intro": "In diesem Video zeige ich dir, wie du die passenden Kübel auswählst, die richtige Erde mischst und deinen Balkongarten clever bewässerst.",
    "recap": "",
    "sections": _sections(
        """
            # Standort prüfen
            Bevor du irgendetwas kaufst, beobachte ein paar Tage lang, wann die Sonne auf deinen Balkon fällt.
            Ein Südbalkon bekommt viel Licht und eignet sich wunderbar für Tomaten, Paprika und Kräuter aus dem Mittelmeerraum.
            Liegt dein Balkon eher im Schatten, fühlen sich Salat, Spinat und Minze dort trotzdem ziemlich wohl.
            Achte außerdem auf den Wind, denn in den oberen Stockwerken knicken hohe Pflanzen schnell um.
            # Kübel auswählen
            Je größer das Gefäß, desto gleichmäßiger bleibt die Feuchtigkeit und desto weniger Stress haben die Wurzeln.
            Terrakotta sieht schön aus, ist aber schwer und trocknet im Hochsommer sehr schnell aus.
            Kunststoff ist leichter und hält das Wasser länger, was gerade bei kleinen Balkonen ein echter Vorteil ist.
            Ganz wichtig sind Löcher im Boden, damit überschüssiges Wasser abfließen kann und nichts fault.
            # Erde mischen
            Billiges Substrat aus dem Discounter sackt oft schon nach wenigen Wochen in sich zusammen.
            Ich nehme deshalb torffreies Gemüsesubstrat und gebe eine gute Handvoll Kompost dazu.
            Eine dünne Schicht Blähton ganz unten sorgt dafür, dass sich keine Staunässe bildet.
            Für Starkzehrer wie Tomaten lohnen sich zusätzlich ein paar Hornspäne als langsam wirkender Dünger.
            # Richtig gießen
            Im Sommer brauchen Pflanzen in Töpfen viel mehr Wasser als ihre Verwandten im Beet.
            Am besten wässerst du frühmorgens, dann verdunstet wenig und die Blätter trocknen bis mittags ab.
            Steck einfach einen Finger in das Substrat, und wenn es zwei Zentimeter tief trocken ist, wird es Zeit.
            Für den Urlaub haben sich Tonkegel oder ein kleines Tropfsystem mit Wassertank bei mir bewährt.
            # Vertikal gärtnern
            Wenn die Bodenfläche knapp ist, lohnt sich der Blick nach oben an die Wand.
            Ein schmales Regal mit mehreren Etagen bietet Platz für Kräuter, Erdbeeren und Pflücksalat.
            Stangenbohnen und Gurken klettern gern an einem Rankgitter und spenden nebenbei noch etwas Schatten.
            Hängeampeln am Geländer sind ideal für Naschtomaten, deren Triebe einfach über den Rand fallen.
            # Blattläuse loswerden
            Sobald es warm wird, sitzen an den jungen Trieben oft kleine grüne Kolonien.
            Ein kräftiger Wasserstrahl aus der Sprühflasche spült die meisten Tiere schon ganz ohne Chemie herunter.
            Hilft das nicht, mische ich etwas Schmierseife mit Wasser und besprühe die Blattunterseiten.
            Auf Dauer ist es aber am schönsten, wenn Marienkäfer und Florfliegen den Job für dich übernehmen.
        """
    ),
}


DE_FAHRRAD_WARTEN: dict[str, Any] = {
    "name": "de_fahrrad_warten",
    "language": "de",
    "family": "tips",
    "intro": "",
    "recap": "",
    "sections": _sections(
        """
            # Kette pflegen
            Ein verdreckter Antrieb kostet dich bei jedem Tritt Kraft und lässt die Ritzel viel schneller verschleißen.
            Ich wische die Glieder mit einem alten Lappen ab, während ich die Kurbel langsam rückwärts drehe.
            Danach kommt auf jedes Gelenk ein kleiner Tropfen Öl, und der Überschuss wird wieder abgewischt.
            Mit einer Verschleißlehre siehst du außerdem sofort, ob sich die Glieder schon zu stark gelängt haben.
            # Reifendruck prüfen
            Zu wenig Luft macht das Rad träge und erhöht die Gefahr eines Durchschlags an der Felge.
            Der empfohlene Bereich steht fast immer klein gedruckt auf der Flanke des Mantels.
            Eine Standpumpe mit Manometer ist deutlich genauer als das Gefühl mit dem Daumen.
            Ich pumpe etwa alle zwei Wochen nach, weil auch intakte Schläuche langsam Luft verlieren.
            # Bremsen einstellen
            Wenn sich der Hebel fast bis zum Lenker ziehen lässt, ist es höchste Zeit zum Handeln.
            Bei Seilzügen drehst du die kleine Stellschraube am Hebel heraus, bis alles wieder straff sitzt.
            Schau dir auch die Beläge an, denn wenn die Rillen verschwunden sind, müssen neue her.
            Hydraulische Scheiben stellen sich meist selbst nach, brauchen aber ab und zu eine Entlüftung in der Werkstatt.
            # Schaltung justieren
            Springt der Gang hin und her oder rattert es hinten, stimmt meistens die Zugspannung nicht.
            Am Ende des Zuges sitzt eine kleine Rändelschraube, die du in Vierteldrehungen verstellen kannst.
            Dreh sie gegen den Uhrzeigersinn, wenn die Kette schwer auf das größere Ritzel klettert.
            Nach jeder kleinen Korrektur testest du alle Gänge einmal durch, am besten auf einem Montageständer.
            Die Anschlagschrauben für oben und unten solltest du nur anfassen, wenn die Kette herunterfällt.
        """
    ),
}


DE_GARTENVOEGEL: dict[str, Any] = {
    "name": "de_gartenvoegel",
    "language": "de",
    "family": "topics",
    "intro": "",
    "recap": "Ob Amsel, Rotkehlchen, Buntspecht oder Zaunkönig, mit ein paar dichten Hecken und einem sauberen Futterhaus lockst du sie alle in deinen Garten.",
    "sections": _sections(
        """
            # Die Amsel
            Die Amsel gehört zu den bekanntesten Vögeln in unseren Gärten und ist fast überall anzutreffen.
            Das Amselmännchen ist tiefschwarz und hat einen leuchtend orangegelben Schnabel.
            Das Weibchen der Amsel ist dagegen schlicht braun gefärbt und deshalb leicht mit einer Drossel zu verwechseln.
            Im Frühling singt die Amsel schon in der Dämmerung von Dachrinnen und Antennen herab.
            # Das Rotkehlchen
            Das Rotkehlchen erkennt man sofort an seiner orangeroten Brust und den großen dunklen Augen.
            Beim Umgraben folgt das Rotkehlchen dem Gärtner oft erstaunlich nah, weil es auf Würmer hofft.
            Anders als viele andere Arten singt das Rotkehlchen auch im Winter, um sein Revier zu verteidigen.
            # Die Kohlmeise
            Die Kohlmeise ist die größte heimische Meise und trägt einen schwarzen Streifen auf der gelben Brust.
            Beim Männchen der Kohlmeise ist dieser Streifen breiter, beim Weibchen eher schmal und oft unterbrochen.
            Nistkästen mit einem Einflugloch von gut drei Zentimetern nimmt die Kohlmeise besonders gern an.
            Der Gesang der Kohlmeise klingt wie ein helles Zizibä, das man schon ab Ende Januar hört.
            # Die Blaumeise
            Die Blaumeise ist deutlich kleiner als ihre Verwandte und hat eine leuchtend blaue Kappe.
            Geschickt hängt die Blaumeise kopfüber an dünnen Zweigen und sucht dort nach Blattläusen.
            Eine Blaumeise kann im Frühjahr bis zu zwölf Eier legen und füttert die Jungen unermüdlich.
            # Der Buntspecht
            Der Buntspecht ist der häufigste Specht bei uns und besucht auch Gärten mit alten Bäumen.
            Sein Gefieder ist schwarz und weiß, und unter dem Schwanz leuchtet beim Buntspecht ein kräftiges Rot.
            Im Frühjahr trommelt der Buntspecht mit dem Schnabel so schnell gegen trockene Äste, dass es weit hallt.
            Am Futterhaus holt sich der Buntspecht im Winter gern Meisenknödel und Erdnüsse.
            # Der Haussperling
            Der Haussperling, den die meisten einfach Spatz nennen, lebt seit Jahrtausenden in der Nähe des Menschen.
            Haussperlinge brüten gern in Kolonien unter Dachziegeln und in Mauerspalten alter Gebäude.
            Weil viele Häuser heute dicht saniert sind, findet der Haussperling in Städten immer weniger Nistplätze.
            Ein Sandbad im Beet ist für den Haussperling übrigens die liebste Form der Gefiederpflege.
            # Der Zaunkönig
            Der Zaunkönig ist winzig, rundlich und trägt sein kurzes Schwänzchen fast immer steil aufgerichtet.
            Trotz seiner geringen Größe schmettert der Zaunkönig einen erstaunlich lauten und langen Gesang.
            Das Männchen des Zaunkönigs baut gleich mehrere kugelige Nester, und das Weibchen sucht sich eines aus.
            Dichte Hecken und Reisighaufen bieten dem Zaunkönig genau die Verstecke, die er zum Überleben braucht.
            # Der Buchfink
            Der Buchfink ist einer der häufigsten Brutvögel in Deutschland und kommt in Wäldern wie Gärten vor.
            Das Männchen des Buchfinken hat eine rötliche Brust und einen blaugrauen Scheitel.
            Im Flug erkennt man den Buchfinken an den weißen Flügelbinden, die deutlich aufblitzen.
            Sein Gesang endet mit einem kleinen Schnörkel, und jeder Buchfink hat dabei seinen eigenen Dialekt.
            # Die Elster
            Die Elster mit ihrem schwarzweißen Gefieder und dem langen Schwanz ist kaum zu übersehen.
            Im Sonnenlicht schimmern die Flügel der Elster plötzlich metallisch blau und grün.
            Die Elster baut große überdachte Nester aus Zweigen hoch oben in Bäumen oder Strommasten.
            Dass die Elster glitzernde Dinge stiehlt, ist übrigens ein Mythos, den Forscher längst widerlegt haben.
            # Der Grünfink
            Der Grünfink ist ein kräftiger Finkenvogel mit olivgrünem Gefieder und gelben Flecken an Flügeln und Schwanz.
            Mit seinem dicken Schnabel knackt der Grünfink mühelos Sonnenblumenkerne am Futterhaus.
            Leider ist der Grünfink in den letzten Jahren durch eine Parasitenkrankheit deutlich seltener geworden.
            Wer Grünfinken füttert, sollte Futterstellen und Tränken deshalb regelmäßig mit heißem Wasser reinigen.
        """
    ),
}


DE_PLANETEN_SONNENSYSTEM: dict[str, Any] = {
    "name": "de_planeten_sonnensystem",
    "language": "de",
    "family": "topics",
    "intro": "In diesem Video reisen wir einmal quer durch unser Sonnensystem, von Merkur über Jupiter bis hinaus zum fernen Neptun.",
    "recap": "",
    "sections": _sections(
        """
            # Merkur
            Merkur ist der kleinste Planet unseres Sonnensystems und kreist der Sonne am nächsten.
            Weil Merkur kaum eine Atmosphäre besitzt, schwanken die Temperaturen dort extrem zwischen Tag und Nacht.
            Ein Jahr auf Merkur dauert nur achtundachtzig Erdtage, also kürzer als drei unserer Monate.
            Die Oberfläche von Merkur ist von Kratern übersät und erinnert auf Fotos stark an unseren Mond.
            # Venus
            Die Venus ist fast so groß wie die Erde, aber dort herrschen wahrhaft höllische Bedingungen.
            Eine dichte Hülle aus Kohlendioxid heizt die Venus auf über vierhundertfünfzig Grad auf.
            Damit ist die Venus heißer als Merkur, obwohl sie deutlich weiter von der Sonne entfernt ist.
            Am Abendhimmel leuchtet die Venus heller als jeder Stern und wird deshalb Abendstern genannt.
            # Die Erde
            Die Erde ist der einzige bekannte Planet, auf dem es flüssiges Wasser an der Oberfläche und Leben gibt.
            Ihr Magnetfeld schützt die Erde vor geladenen Teilchen, die mit dem Sonnenwind heranströmen.
            Die geneigte Achse der Erde sorgt dafür, dass wir Frühling, Sommer, Herbst und Winter erleben.
            # Mars
            Der Mars wird wegen seiner rostroten Farbe auch der Rote Planet genannt.
            Diese Farbe stammt von Eisenoxid, also im Grunde von Rost im Staub auf dem Mars.
            Auf dem Mars steht der Olympus Mons, der höchste bekannte Vulkan im ganzen Sonnensystem.
            Mehrere Rover erkunden den Mars seit Jahren und suchen nach Spuren von früherem Wasser.
            # Jupiter
            Jupiter ist der größte Planet und hat mehr Masse als alle anderen Planeten zusammen.
            Der Große Rote Fleck auf Jupiter ist ein Wirbelsturm, der größer ist als unsere ganze Erde.
            Jupiter besteht vor allem aus Wasserstoff und Helium und hat keine feste Oberfläche.
            Um Jupiter kreisen zahlreiche Monde, darunter der Mond Europa, unter dessen Eiskruste vermutlich ein Ozean liegt.
            # Saturn
            Saturn ist berühmt für seine prächtigen Ringe, die aus unzähligen Brocken aus Eis und Gestein bestehen.
            Obwohl die Ringe von Saturn riesig breit sind, sind sie an vielen Stellen nur wenige Dutzend Meter dick.
            Saturn hat eine so geringe Dichte, dass er theoretisch in einer riesigen Badewanne schwimmen würde.
            Der größte Mond von Saturn heißt Titan und besitzt sogar Seen aus flüssigem Methan.
            # Uranus
            Uranus ist ein Eisriese mit einer blassen, türkisblauen Farbe, die vom Methan in seiner Atmosphäre kommt.
            Das Besondere an Uranus ist, dass er quasi auf der Seite liegend um die Sonne rollt.
            Dadurch erlebt jeder Pol von Uranus einen jahrzehntelangen Tag und danach eine ebenso lange Nacht.
            # Neptun
            Neptun ist der äußerste Planet und wurde durch Berechnungen vorhergesagt, bevor ihn jemand im Teleskop sah.
            Auf Neptun toben die schnellsten Winde im Sonnensystem mit weit über tausend Kilometern pro Stunde.
            Für eine komplette Runde um die Sonne braucht Neptun rund hundertfünfundsechzig Jahre.
            Bisher hat nur eine einzige Raumsonde Neptun besucht, nämlich Voyager zwei im Jahr neunzehnhundertneunundachtzig.
        """
    ),
}


NL_VERHUIZEN_ZONDER_STRESS: dict[str, Any] = {
    "name": "nl_verhuizen_zonder_stress",
    "language": "nl",
    "family": "tips",
    "intro": "In deze video geef ik tips voor een rustige verhuizing, van het inpakken van dozen tot het huren van een verhuisbus en het schoonmaken van je oude woning.",
    "recap": "",
    "sections": _sections(
        """
            # Planning maken
            Begin ruim op tijd en zet in een agenda wat er per week moet gebeuren.
            Zo voorkom je dat je in de laatste dagen nog allerlei dingen tegelijk moet regelen.
            Ik werk zelf graag met een simpele lijst op de koelkast, zodat iedereen in huis kan meekijken.
            # Spullen opruimen
            Alles wat je niet meeneemt, hoef je ook niet in te pakken, te tillen of te sjouwen.
            Loop daarom kamer voor kamer door het huis en wees eerlijk over wat je echt gebruikt.
            Kleding, boeken en keukengerei die nog goed zijn, kun je verkopen of naar de kringloopwinkel brengen.
            Het scheelt niet alleen dozen, maar het voelt ook heerlijk om met minder te beginnen.
            # Dozen inpakken
            Zware boeken gaan in kleine kartons, lichte spullen zoals beddengoed mogen in grote.
            Schrijf op elke zijkant de kamer waar het naartoe moet, dan hoeven de helpers niet te raden.
            Breekbaar servies wikkel ik in handdoeken en theedoeken, dat scheelt een hoop noppenfolie.
            Houd één aparte tas vrij voor de eerste nacht met tandenborstels, opladers en een schone set kleren.
            # Verhuisbus huren
            Reserveer een bestelwagen een paar weken vooruit, want op zaterdagen is er vaak niets meer beschikbaar.
            Controleer welk rijbewijs je nodig hebt, want voor de grootste wagens is een gewoon autorijbewijs niet genoeg.
            Loop bij het ophalen samen met de medewerker rond het voertuig en laat bestaande krassen noteren.
            Vraag ook naar een steekwagen en spanbanden, die kun je vaak voor een klein bedrag erbij krijgen.
            # Helpers regelen
            Vraag vrienden en familie ruim van tevoren, want iedereen heeft in het weekend al plannen.
            Geef iedereen een duidelijke taak, zodat niet vijf mensen tegelijk dezelfde kast staan te tillen.
            Zorg voor genoeg koffie, broodjes en water, dan blijft de sfeer de hele dag goed.
            # Meubels demonteren
            Grote kasten en bedden gaan veel makkelijker de trap af als je ze uit elkaar haalt.
            Stop alle schroefjes en plankdragers in een zakje en plak dat met tape aan het onderdeel vast.
            Maak met je telefoon een paar snelle opnames, zodat je later nog weet hoe alles in elkaar zat.
            Een accuboormachine met de juiste bitjes bespaart je op de grote dag echt uren werk.
            # Adres wijzigen
            Binnen vijf dagen na de verhuizing moet je je inschrijven bij de gemeente waar je gaat wonen.
            Geef de nieuwe gegevens ook door aan je bank, je zorgverzekeraar en je werkgever.
            Een doorzendservice bij de post vangt de brieven op die toch nog naar de oude woning gaan.
            Vergeet abonnementen niet, zoals de sportschool, de krant en de bibliotheek.
            # Meterstanden noteren
            Schrijf op de dag van de sleuteloverdracht op wat de tellers voor gas, water en stroom aangeven.
            Maak er voor de zekerheid ook een foto van met je telefoon, dan heb je bewijs.
            Met die getallen voorkom je discussies met de vorige bewoners of met je energieleverancier.
            # Oude woning schoonmaken
            Een verhuurder verwacht meestal dat je het huis bezemschoon achterlaat, dus leeg en zonder vuil.
            Plan daar een aparte middag voor in, want na het sjouwen heeft niemand er nog zin in.
            Kijk vooral naar de oven, de afzuigkap en de kalk in de douche, want daar let de verhuurder op.
            Spijkergaten in de muur vul je met een beetje plamuur, dat is zo gebeurd.
            # Je thuis voelen
            Zet het bed meteen in elkaar, want na een lange dag sjouwen wil je gewoon kunnen slapen.
            Pak niet alles in één keer uit, maar doe elke avond een paar dozen.
            Een lamp, een plant en een paar vertrouwde spullen maken een kale kamer meteen een stuk gezelliger.
            En stap gerust even bij de buren aan om jezelf voor te stellen.
        """
    ),
}


NL_BEGINNEN_MET_HARDLOPEN: dict[str, Any] = {
    "name": "nl_beginnen_met_hardlopen",
    "language": "nl",
    "family": "tips",
    "intro": "",
    "recap": "",
    "sections": _sections(
        """
            # Goede schoenen
            Ga naar een speciaalzaak waar ze je looppas op een loopband kunnen bekijken.
            Iedereen landt anders op de voet, en daar hoort een passende mate van demping bij.
            Kies liever een halve maat groter, want je voeten zetten tijdens het lopen wat uit.
            Na ongeveer achthonderd kilometer is het schuim meestal versleten en wordt het tijd voor een nieuw paar.
            # Rustig opbouwen
            Wissel in het begin korte stukjes lopen af met een paar minuten wandelen.
            Je hart en longen passen zich snel aan, maar pezen en botten hebben veel meer tijd nodig.
            Verhoog de afstand per week met niet meer dan een klein beetje, ook als het makkelijk voelt.
            Drie keer per week met een rustdag ertussen is voor de meeste beginners ruim voldoende.
            # Praattempo aanhouden
            De meeste beginners gaan veel te hard van start en staan na tien minuten uitgeput stil.
            Een goede vuistregel is dat je onderweg nog gewoon hele zinnen moet kunnen zeggen.
            Lukt dat niet meer, dan ga je te snel en mag je gerust even wandelen.
            Het voelt misschien bijna belachelijk langzaam, maar juist zo bouw je een sterke basisconditie op.
            # Blessures voorkomen
            Pijn die tijdens het lopen erger wordt, is een duidelijk signaal om meteen te stoppen.
            Kuiten en scheenbenen zijn bij beginners het kwetsbaarst, vooral als ze veel op asfalt trainen.
            Wissel daarom af met bospaden of een gravelbaan, die zijn een stuk zachter voor je gewrichten.
            Een paar simpele krachtoefeningen voor heupen en enkels maken je lichaam bovendien veel stabieler.
        """
    ),
}


NL_HOLLANDSE_SCHILDERS: dict[str, Any] = {
    "name": "nl_hollandse_schilders",
    "language": "nl",
    "family": "topics",
    "intro": "",
    "recap": "Van het licht bij Rembrandt en Vermeer tot de vrolijke chaos van Jan Steen en de strakke lijnen van Mondriaan, de Nederlandse schilderkunst blijft verrassend veelzijdig.",
    "sections": _sections(
        """
            # Rembrandt van Rijn
            Rembrandt werd geboren in Leiden en verhuisde later naar Amsterdam, waar hij zijn grootste successen boekte.
            Rembrandt speelde als geen ander met licht en donker, waardoor zijn figuren bijna uit het doek lijken te stappen.
            De Nachtwacht van Rembrandt hangt in het Rijksmuseum en is eigenlijk een schuttersstuk dat overdag speelt.
            Opvallend zijn ook de vele zelfportretten, waarin Rembrandt zonder opsmuk laat zien hoe hij ouder wordt.
            # Johannes Vermeer
            Van Johannes Vermeer zijn maar ongeveer vijfendertig schilderijen bewaard gebleven, wat elk werk extra kostbaar maakt.
            Vermeer woonde zijn hele leven in Delft en schilderde vooral rustige binnenhuizen met vrouwen aan het werk.
            Het zachte daglicht dat bij Vermeer door een raam aan de linkerkant valt, is zijn handtekening geworden.
            Het Meisje met de parel van Vermeer hangt in het Mauritshuis in Den Haag.
            # Frans Hals
            Frans Hals werkte in Haarlem en was een meester in portretten die vol leven zitten.
            De losse, snelle penseelstreken van Frans Hals waren in zijn tijd ongewoon vrij en modern.
            Zijn lachende figuren, zoals de vrolijke drinker, lijken bij Hals midden in een beweging gevangen.
            In Haarlem is een heel museum aan Frans Hals gewijd, in een oud gebouw vlak bij het centrum.
            # Jan Steen
            Jan Steen schilderde rommelige huishoudens waarin kinderen, dieren en volwassenen door elkaar krioelen.
            Daar komt zelfs een uitdrukking vandaan, want een chaotisch huis noemen we nog steeds een huishouden van Jan Steen.
            Achter de grappen van Jan Steen zit vaak een les over zuinigheid, drank of fatsoen.
            Behalve schilder was Jan Steen ook herbergier, wat misschien verklaart waarom er zoveel kroegtaferelen in zijn werk zitten.
            # Vincent van Gogh
            Vincent van Gogh begon pas laat met schilderen en maakte in ongeveer tien jaar honderden werken.
            In zijn Nederlandse periode gebruikte Van Gogh donkere aardetinten, zoals in De Aardappeleters.
            In de Provence ontdekte Van Gogh het felle licht en schilderde hij zijn beroemde zonnebloemen.
            Tijdens zijn leven verkocht Van Gogh nauwelijks iets, terwijl zijn werk nu tot het duurste ter wereld hoort.
            # Piet Mondriaan
            Piet Mondriaan begon met gewone landschappen, zoals molens en bomen langs het water.
            Stap voor stap maakte Mondriaan zijn beelden eenvoudiger, tot er alleen lijnen en vlakken overbleven.
            De composities van Mondriaan met zwarte lijnen en rood, geel en blauw zijn wereldberoemd geworden.
            In New York liet Mondriaan zich inspireren door de drukte van de stad en de jazzmuziek.
        """
    ),
}


NL_VULKANEN_VAN_EUROPA: dict[str, Any] = {
    "name": "nl_vulkanen_van_europa",
    "language": "nl",
    "family": "topics",
    "intro": "In deze video bekijken we de bekendste vulkanen van Europa, met onder meer de Etna, de Vesuvius en de Hekla op IJsland.",
    "recap": "",
    "sections": _sections(
        """
            # De Etna
            De Etna op Sicilië is de hoogste actieve vulkaan van Europa en ruim drieduizend meter hoog.
            Bijna elk jaar spuwt de Etna wel ergens lava of as, soms tot grote hoogte.
            Op de vruchtbare hellingen van de Etna groeien wijnranken, pistachebomen en sinaasappels.
            Toeristen kunnen met een kabelbaan en terreinwagens tot vlak onder de kraters van de Etna komen.
            # De Vesuvius
            De Vesuvius ligt aan de baai van Napels en is beroemd door de uitbarsting die Pompeji bedolf.
            Sinds de laatste uitbarsting in negentienhonderdvierenveertig is de Vesuvius verrassend stil gebleven.
            Toch wonen er honderdduizenden mensen binnen de gevarenzone rond de Vesuvius.
            Vanaf de kraterrand van de Vesuvius kijk je bij helder weer tot over de hele baai.
            # Stromboli
            Stromboli is een vulkaaneiland ten noorden van Sicilië dat al duizenden jaren vrijwel onafgebroken actief is.
            Om de paar minuten gooit de Stromboli gloeiende brokken lava de lucht in.
            Zeelieden noemden Stromboli daarom de vuurtoren van de Middellandse Zee.
            Een avondtocht met een gids naar de top van Stromboli is een onvergetelijke ervaring.
            # Vulcano
            Het eiland Vulcano heeft zijn naam gegeven aan alle vulkanen ter wereld.
            Volgens oude verhalen had de god van het vuur zijn smidse diep onder Vulcano.
            Op Vulcano ruik je overal zwavel, en bezoekers liggen graag in de warme moddervijver.
            De laatste grote uitbarsting op Vulcano was aan het einde van de negentiende eeuw.
            # Santorini
            Santorini is eigenlijk de rand van een enorme ingestorte vulkaan in de Egeïsche Zee.
            Ruim drieduizend jaar geleden blies een gigantische uitbarsting het midden van Santorini weg.
            De witte huisjes van Santorini staan nu bovenop de steile kraterwanden, hoog boven het water.
            Midden in de baai van Santorini ligt een jong zwart eilandje dat nog altijd warm aanvoelt.
            # De Hekla
            De Hekla is een van de actiefste vulkanen van IJsland en ligt in het zuiden van het eiland.
            In de middeleeuwen zagen mensen de Hekla als de toegang tot de hel.
            De Hekla heeft een langgerekte vorm, omdat hij uitbarst langs een lange spleet in plaats van één krater.
            Wetenschappers houden de Hekla scherp in de gaten, want hij waarschuwt vaak maar kort van tevoren.
            # Eyjafjallajökull
            De Eyjafjallajökull is een vulkaan onder een gletsjer, en die combinatie bleek explosief.
            Toen de Eyjafjallajökull in tweeduizendtien uitbarstte, kwam er een enorme aswolk boven Europa te hangen.
            Door die as van de Eyjafjallajökull lag het vliegverkeer dagenlang bijna helemaal stil.
            Veel mensen kunnen de naam Eyjafjallajökull nog steeds niet uitspreken, zelfs niet na al dat nieuws.
            # De Teide
            De Teide op Tenerife is de hoogste berg van Spanje en een slapende vulkaan.
            Rond de Teide ligt een nationaal park met een maanlandschap van gestolde lava en vreemde rotsen.
            Een kabelbaan brengt je tot vlak onder de top van de Teide, maar het laatste stuk vraagt een vergunning.
            Door de heldere lucht boven de Teide staan er ook grote sterrenwachten op de hellingen.
        """
    ),
}

TALKS: tuple[dict[str, Any], ...] = (
    ES_HUERTO_EN_BALCON,
    ES_DORMIR_MEJOR,
    ES_CAPITALES_LATINOAMERICANAS,
    ES_VOLCANES_FAMOSOS,
    PT_BICICLETA_PARA_O_TRABALHO,
    PT_ESTUDAR_PARA_PROVAS,
    PT_FRUTAS_BRASILEIRAS,
    PT_RITMOS_BRASILEIROS,
    FR_ENTRETIEN_PLANTES_INTERIEUR,
    FR_DEMENAGER_A_L_ETRANGER,
    FR_REGIONS_VITICOLES,
    FR_PEINTRES_IMPRESSIONNISTES,
    IT_VIAGGIARE_IN_TRENO,
    IT_IMPARARE_LA_CHITARRA,
    IT_VULCANI_ITALIANI,
    IT_ARTISTI_RINASCIMENTO,
    DE_BALKONGARTEN_ANLEGEN,
    DE_FAHRRAD_WARTEN,
    DE_GARTENVOEGEL,
    DE_PLANETEN_SONNENSYSTEM,
    NL_VERHUIZEN_ZONDER_STRESS,
    NL_BEGINNEN_MET_HARDLOPEN,
    NL_HOLLANDSE_SCHILDERS,
    NL_VULKANEN_VAN_EUROPA,
)

FIT = (
    "es_huerto_en_balcon",
    "es_capitales_latinoamericanas",
    "pt_bicicleta_para_o_trabalho",
    "pt_frutas_brasileiras",
    "fr_entretien_plantes_interieur",
    "fr_regions_viticoles",
    "it_viaggiare_in_treno",
    "it_vulcani_italiani",
    "de_balkongarten_anlegen",
    "de_gartenvoegel",
    "nl_verhuizen_zonder_stress",
    "nl_hollandse_schilders",
)
HELD_OUT = (
    "es_dormir_mejor",
    "es_volcanes_famosos",
    "pt_estudar_para_provas",
    "pt_ritmos_brasileiros",
    "fr_demenager_a_l_etranger",
    "fr_peintres_impressionnistes",
    "it_imparare_la_chitarra",
    "it_artisti_rinascimento",
    "de_fahrrad_warten",
    "de_planeten_sonnensystem",
    "nl_beginnen_met_hardlopen",
    "nl_vulkanen_van_europa",
)

#: espeak-ng's voices per language (Brazilian Portuguese, Latin American Spanish second)
ESPEAK_VOICES = {
    "es": ("es", "es-419"),
    "pt": ("pt-br", "pt"),
    "fr": ("fr",),
    "it": ("it",),
    "de": ("de",),
    "nl": ("nl",),
}


#: festival voices Debian ships for a language of the set (``festvox-italp16k``, ``festvox-itapc16k``)
FESTIVAL_VOICES = {"it": ("lp_diphone", "pc_diphone")}
#: the regenerations spoken by ``FESTIVAL_VOICES``, the voices in turn (talks in other languages left out)
FESTIVAL_REGENERATIONS = (7, 8)


def spoken(k: int) -> tuple[dict[str, Any], ...]:
    """The talks as ``TalkSpec`` fields for regeneration ``k``: the language's espeak-ng voices in turn,
    the pauses seeded by ``k``; regenerations ``FESTIVAL_REGENERATIONS`` speak the languages festival has
    voices for with those voices, in turn, and leave the others out."""
    out = []
    festival = k in FESTIVAL_REGENERATIONS
    for i, talk in enumerate(TALKS):
        lang = talk["language"]
        if festival and lang not in FESTIVAL_VOICES:
            continue
        voices = tuple(
            f"festival:{v}" if festival else f"espeak:{v}"
            for v in (FESTIVAL_VOICES[lang] if festival else ESPEAK_VOICES[lang])
        )
        out.append(
            {
                "name": f"{talk['name']}_r{k}",
                "sections": talk["sections"],
                "voice": voices[(i + k) % len(voices)],
                "intro": talk["intro"],
                "recap": talk["recap"],
                "seed": 1000 * k + i,
            }
        )
    return tuple(out)


def footage() -> list[str]:
    """No footage: the pictures are generated."""
    return []


def strings() -> list[str]:
    """Every title, sentence, intro and recap of the set."""
    from talks_devset import talk_strings

    return talk_strings(TALKS)
